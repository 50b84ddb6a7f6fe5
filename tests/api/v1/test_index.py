"""`/api/v1/`: where every collection, search, the schema and the docs are.

The index is compared with a stored snapshot; after an intended change, rewrite it and
review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models.collections import NAMES
from tests.api.snapshots import assert_matches_snapshot

from .helpers import get_json

pytestmark = pytest.mark.django_db


def test_index_matches_its_snapshot(api):
    assert_matches_snapshot("index", get_json(api, "/api/v1/"))


def test_index_names_every_collection_at_its_absolute_list_address(api):
    collections = get_json(api, "/api/v1/")["collections"]

    assert collections == {name: f"http://testserver/api/v1/{name}/" for name in NAMES}
    for url in collections.values():
        assert set(get_json(api, url)) == {"count", "next", "previous", "results"}


def test_index_leads_to_search_the_schema_and_the_docs(api):
    index = get_json(api, "/api/v1/")

    assert api.get(index["search"], {"q": "ketamine"}).status_code == 200
    assert api.get(index["schema"], {"format": "json"}).status_code == 200
    assert api.get(index["docs"]).status_code == 200


def test_index_links_never_carry_the_format_asked_for(api):
    index = get_json(api, "/api/v1/", format="json")

    assert index["collections"]["faqs"] == "http://testserver/api/v1/faqs/"
    assert "format" not in str(index)
