"""Every item says how to credit it: the partner's own terms, or the default ones."""

import pytest

from content_models.models import SideEffectReference
from tests.factories import ReferenceFactory, SideEffectFactory
from tests.factories.syndication import PartnerFactory, api_key_for

pytestmark = pytest.mark.django_db

PARTNER_TEXT = "Source: Ketamine patient information service. Reproduced under licence."


@pytest.fixture
def nausea():
    side_effect = SideEffectFactory(name="Nausea", slug="nausea", summary="Feeling sick.")
    side_effect.reference_links.add(SideEffectReference(reference=ReferenceFactory(slug="trial")))
    side_effect.save()
    return side_effect


@pytest.fixture
def partner_key():
    partner = PartnerFactory(
        attribution_text=PARTNER_TEXT,
        link_back_required=False,
        allowed_modifications="May shorten summaries.",
    )
    return {"HTTP_X_API_KEY": api_key_for(partner)}


def test_anonymous_readers_get_the_default_terms(api, site_settings, nausea):
    site_settings.CONTENT_PUBLISHER_NAME = "Example Health"
    site_settings.CONTENT_LICENSE_URL = "https://example.org/licence"
    site_settings.CONTENT_ATTRIBUTION_TEXT = "From Example Health."
    site_settings.PUBLIC_SITE_BASE_URL = "https://clinic.example"

    attribution = api.get("/api/v1/side-effects/nausea/").json()["attribution"]

    assert attribution == {
        "publisher": "Example Health",
        "url": "https://clinic.example/side-effects/nausea/",
        "license_url": "https://example.org/licence",
        "text": "From Example Health.",
        "link_back_required": True,
        "allowed_modifications": site_settings.CONTENT_ALLOWED_MODIFICATIONS,
        "last_reviewed_at": attribution["last_reviewed_at"],
    }
    assert attribution["last_reviewed_at"].startswith(str(nausea.last_reviewed_at.date()))


def test_a_partner_gets_its_own_terms(api, nausea, partner_key):
    attribution = api.get("/api/v1/side-effects/nausea/", **partner_key).json()["attribution"]
    assert attribution["text"] == PARTNER_TEXT
    assert attribution["link_back_required"] is False
    assert attribution["allowed_modifications"] == "May shorten summaries."


def test_without_a_public_site_the_canonical_url_is_the_api_address(api, nausea):
    attribution = api.get("/api/v1/side-effects/nausea/").json()["attribution"]
    assert attribution["url"] == "http://testserver/api/v1/side-effects/nausea/"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/side-effects/",
        "/api/v1/side-effects/?fields=title",
        "/api/v1/search/?q=nausea",
    ],
)
def test_every_item_of_a_list_or_search_carries_the_partners_terms(api, nausea, partner_key, url):
    items = api.get(url, **partner_key).json()["results"]
    assert items
    assert all(item["attribution"]["text"] == PARTNER_TEXT for item in items)


def test_expanded_items_carry_attribution_too(api, nausea, partner_key):
    detail = api.get("/api/v1/side-effects/nausea/?expand=references", **partner_key).json()
    (reference,) = detail["references"]
    assert reference["attribution"]["text"] == PARTNER_TEXT
    assert reference["attribution"]["last_reviewed_at"] is None  # references are not reviewed


def test_anonymous_and_partner_responses_are_cached_apart(api, nausea, partner_key):
    anonymous_before = api.get("/api/v1/side-effects/").json()
    partner = api.get("/api/v1/side-effects/", **partner_key).json()
    anonymous_after = api.get("/api/v1/side-effects/").json()
    assert partner["results"][0]["attribution"]["text"] == PARTNER_TEXT
    assert anonymous_after == anonymous_before
    assert anonymous_after["results"][0]["attribution"]["text"] != PARTNER_TEXT
