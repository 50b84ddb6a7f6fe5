"""`/api/v1/search/?q=`: one search across every collection, each hit with its type.

The hits for "blood pressure" in the demo content are compared with a stored snapshot;
after an intended change, rewrite it and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models import collections
from content_models.models import SideEffect
from tests.api.snapshots import assert_matches_snapshot
from tests.factories import SideEffectFactory

from .helpers import FACTORIES, TITLE_FIELDS, get_json, normalised, translate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]

SEARCH = "/api/v1/search/"


@pytest.fixture
def xylophones():
    """One item titled 'Xylophone <collection>' in each collection: (type, title) of each."""
    found = []
    for collection in collections.COLLECTIONS:
        title = f"Xylophone {collection.name}"
        FACTORIES[collection.name](**{TITLE_FIELDS[collection.name]: title})
        found.append((collection.type_name, title))
    return found


def test_search_hits_match_their_snapshot(api):
    assert_matches_snapshot("search", normalised(get_json(api, SEARCH, q="blood pressure")))


def test_search_finds_items_of_every_collection_each_with_its_type(api, xylophones):
    hits = get_json(api, SEARCH, q="xylophone", limit=100)["results"]

    assert sorted((hit["type"], hit["title"]) for hit in hits) == sorted(xylophones)
    assert all(hit["url"].startswith("http://testserver/api/v1/") for hit in hits)


def test_search_by_type_keeps_hits_of_those_types(api, xylophones):
    hits = get_json(api, SEARCH, q="xylophone", type="faq,reviewer")["results"]

    assert sorted(hit["type"] for hit in hits) == ["faq", "reviewer"]


def test_search_pages_with_limit_and_offset(api, xylophones):
    everything = get_json(api, SEARCH, q="xylophone", limit=100)["results"]

    first = get_json(api, SEARCH, q="xylophone", limit=3)
    second = get_json(api, first["next"])

    assert first["count"] == len(everything) == len(collections.COLLECTIONS)
    assert first["results"] + second["results"] == everything[:6]
    assert first["previous"] is None
    assert second["previous"] == "http://testserver/api/v1/search/?limit=3&q=xylophone"


def test_search_puts_the_best_match_first(api):
    hits = get_json(api, SEARCH, q="nausea")["results"]

    assert hits[0]["slug"] == "nausea"


def test_search_in_a_locale_finds_that_languages_items_only(api):
    nausea = SideEffect.objects.get(slug="nausea")
    translate("side-effects", nausea, "es", "Náuseas")

    spanish = get_json(api, SEARCH, q="náuseas", locale="es")["results"]
    english = get_json(api, SEARCH, q="náuseas")["results"]

    assert [(hit["title"], hit["locale"]) for hit in spanish] == [("Náuseas", "es")]
    assert english == []


@pytest.mark.parametrize("url", [f"{SEARCH}?q=zanzibar", "/api/v1/side-effects/?search=zanzibar"])
def test_drafts_and_other_languages_do_not_crowd_a_live_match_out_of_search(api, monkeypatch, url):
    # Only three hits are ranked, and six items that are not live in English match better.
    monkeypatch.setattr("content_models.selectors.SEARCH_HIT_LIMIT", 3)
    SideEffectFactory(name="Zanzibar quartz", slug="live-match")
    for number in range(3):
        draft = SideEffectFactory(name="Zanzibar zanzibar", slug=f"draft-{number}", live=False)
        translate("side-effects", draft, "es", "Zanzibar zanzibar")

    assert [hit["slug"] for hit in get_json(api, url)["results"]] == ["live-match"]
