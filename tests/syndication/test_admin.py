"""The admin's Syndication menu: partners and their terms, keys shown once, revocation."""

import pytest
from django.urls import reverse

from syndication.models import ApiKey, Partner
from tests.factories import SideEffectFactory
from tests.factories.syndication import PartnerFactory

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"{model._meta.model_name}:{view}", args=args)


def test_syndication_menu_lists_partners_and_keys(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Syndication" in html and "Partners" in html and "API keys" in html


def test_a_partner_is_created_with_its_terms_and_collections(admin_client):
    response = admin_client.post(
        url(Partner, "add"),
        {
            "name": "Riverside Clinic",
            "contact_name": "Sam Lee",
            "contact_email": "sam@riverside.example",
            "website": "https://riverside.example",
            "collections": ["faqs", "side-effects"],
            "rate_limit_tier": "premium",
            "attribution_text": "From the ketamine information service.",
            "link_back_required": "on",
            "allowed_modifications": "",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Riverside Clinic")
    assert partner.collections == ["faqs", "side-effects"]
    assert partner.rate_limit_tier == "premium"


def test_a_new_key_is_shown_once_then_only_its_prefix(admin_client, client):
    partner = PartnerFactory(name="Riverside Clinic")

    response = admin_client.post(url(ApiKey, "add"), {"partner": partner.pk, "name": "Website"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_key = ApiKey.objects.get(partner=partner)
    html = response.content.decode()
    start = html.index(f"{api_key.prefix}_")
    full_key = html[start : start + len(api_key.prefix) + 41]
    assert len(full_key.rsplit("_", 1)[1]) == 40
    SideEffectFactory()
    assert client.get("/api/v1/side-effects/", HTTP_X_API_KEY=full_key).status_code == 200

    for page in (url(ApiKey, "index"), url(ApiKey, "edit", api_key.pk)):
        html = admin_client.get(page).content.decode()
        assert api_key.prefix in html
        assert full_key not in html and full_key.rsplit("_", 1)[1] not in html


def test_the_key_list_can_be_filtered_and_searched(admin_client):
    kept = ApiKey.objects.create(
        partner=PartnerFactory(name="Riverside"), name="Site", key_id="aaaa1111"
    )
    ApiKey.objects.create(partner=PartnerFactory(name="Hillside"), name="App", key_id="bbbb2222")
    for query in (
        {"partner": kept.partner.pk},
        {"q": "Riverside"},
        {"status": "active", "q": "aaaa1111"},
    ):
        html = admin_client.get(url(ApiKey, "index"), query).content.decode()
        assert "kcp_aaaa1111" in html and "kcp_bbbb2222" not in html, query


def test_revoking_a_key_in_the_admin_refuses_it(admin_client, client):
    from syndication.services import create_api_key

    api_key, full_key = create_api_key(partner=PartnerFactory(), name="Website")
    index = admin_client.get(url(ApiKey, "index")).content.decode()
    assert url(ApiKey, "revoke", api_key.pk) in index

    assert admin_client.get(url(ApiKey, "revoke", api_key.pk)).status_code == 200
    response = admin_client.post(url(ApiKey, "revoke", api_key.pk))

    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert client.get("/api/v1/", HTTP_X_API_KEY=full_key).status_code == 401
    assert (
        url(ApiKey, "revoke", api_key.pk)
        not in admin_client.get(url(ApiKey, "index")).content.decode()
    )
