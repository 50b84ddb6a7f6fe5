"""A partner's key sees only the collections its partner may use, through every read."""

import pytest

from content_models.collections import NAMES
from content_models.models import SideEffectReference
from tests.api.v1.helpers import FACTORIES
from tests.factories import FAQFactory, ReferenceFactory, SideEffectFactory
from tests.factories.syndication import PartnerFactory, api_key_for

pytestmark = pytest.mark.django_db


def key_for(*collections) -> dict:
    return {"HTTP_X_API_KEY": api_key_for(PartnerFactory(collections=list(collections)))}


def test_every_collection_has_a_factory_here():
    assert set(FACTORIES) == set(NAMES)


@pytest.mark.parametrize("collection", NAMES)
def test_a_collection_outside_the_scope_answers_404_on_list_and_detail(api, collection):
    item = FACTORIES[collection](slug="in-question")
    others = [name for name in NAMES if name != collection]
    key = key_for(*others)
    for url in (f"/api/v1/{collection}/", f"/api/v1/{collection}/{item.slug}/"):
        assert api.get(url).status_code == 200  # anonymous public read, now cached
        response = api.get(url, **key)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("collection", NAMES)
def test_a_collection_in_the_scope_is_served(api, collection):
    item = FACTORIES[collection](slug="in-question")
    key = key_for(collection)
    assert api.get(f"/api/v1/{collection}/", **key).json()["count"] == 1
    assert api.get(f"/api/v1/{collection}/{item.slug}/", **key).status_code == 200


def test_the_index_names_only_the_collections_in_the_scope(api):
    assert set(api.get("/api/v1/").json()["collections"]) == set(NAMES)
    response = api.get("/api/v1/", **key_for("faqs", "conditions"))
    assert set(response.json()["collections"]) == {"faqs", "conditions"}


def test_search_finds_nothing_outside_the_scope(api):
    SideEffectFactory(name="Dizziness", slug="dizziness", summary="Feeling dizzy.")
    FAQFactory(question="Will I feel dizzy?", slug="dizzy", summary="Dizziness is common.")

    anonymous = {hit["type"] for hit in api.get("/api/v1/search/?q=dizzy").json()["results"]}
    partner = api.get("/api/v1/search/?q=dizzy", **key_for("faqs")).json()["results"]

    assert anonymous == {"side-effect", "faq"}
    assert {hit["type"] for hit in partner} == {"faq"}


def test_search_by_a_type_outside_the_scope_is_a_400(api):
    response = api.get("/api/v1/search/?q=dizzy&type=side-effect", **key_for("faqs"))
    assert response.status_code == 400
    assert "type" in response.json()["errors"]


def test_relations_outside_the_scope_cannot_be_expanded(api):
    side_effect = SideEffectFactory(slug="nausea")
    side_effect.reference_links.add(SideEffectReference(reference=ReferenceFactory()))
    side_effect.save()
    url = "/api/v1/side-effects/nausea/?expand=references"

    assert api.get(url, **key_for("side-effects", "references")).status_code == 200
    response = api.get(url, **key_for("side-effects"))
    assert response.status_code == 400
    assert "expand" in response.json()["errors"]


def test_a_change_to_the_scope_shows_in_the_next_response(api):
    partner = PartnerFactory(collections=["faqs"])
    key = {"HTTP_X_API_KEY": api_key_for(partner)}
    FAQFactory(slug="first")
    assert api.get("/api/v1/faqs/", **key).status_code == 200  # cached for this partner

    partner.collections = ["conditions"]
    partner.save()

    assert api.get("/api/v1/faqs/", **key).status_code == 404
