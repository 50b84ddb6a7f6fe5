"""Headless preview: a front end reads an editor's draft with the token the admin's preview
made, in the live shape, never cached, and never without the token."""

import time
from urllib.parse import parse_qs

import pytest
from django.core import signing
from django.test import RequestFactory

from content_models.models import SideEffect
from content_models.preview import preview_token
from tests.factories import (
    ReferenceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    apply_to,
    approve_in_review,
    cite,
)
from tests.factories.syndication import PartnerFactory, api_key_for

from .helpers import FACTORIES, TITLE_FIELDS

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/preview/"


def preview(api, item, **params):
    return api.get(PREVIEW, {"token": preview_token(item), **params})


def draft(collection="side-effects", **kwargs):
    """An item saved as a draft and never published."""
    item = FACTORIES[collection](live=False, **kwargs)
    if getattr(item, "last_reviewed_at", None):
        # Whole seconds: revisions store times to the millisecond.
        item.last_reviewed_at = item.last_reviewed_at.replace(microsecond=0)
    item.save_revision()
    return item


def test_a_draft_never_published_shows_with_its_token(api):
    item = draft(slug="tiredness", name="Tiredness")

    response = preview(api, item)

    assert response.status_code == 200
    assert response.json()["title"] == "Tiredness"
    assert response.json()["first_published_at"] is None
    assert api.get("/api/v1/side-effects/tiredness/").status_code == 404


def test_a_draft_change_shows_in_preview_while_the_api_serves_the_live_version(api):
    item = SideEffectFactory(slug="nausea", name="Nausea")
    item.name = "Nausea and vomiting"
    item.save_revision()

    assert preview(api, item).json()["title"] == "Nausea and vomiting"
    assert api.get("/api/v1/side-effects/nausea/").json()["title"] == "Nausea"


def test_a_draft_change_to_reviewed_content_previews_as_not_reviewed(api):
    item = approve_in_review(SideEffectFactory(slug="nausea", live=False))
    assert preview(api, item).json()["review_status"] == "reviewed"
    item.summary = "A change no reviewer has seen."
    item.save_revision()

    previewed = preview(api, item).json()

    assert previewed["summary"] == "A change no reviewer has seen."
    assert previewed["review_status"] == "not_reviewed"
    assert previewed["reviewed_by"] is None
    assert api.get("/api/v1/side-effects/nausea/").json()["review_status"] == "reviewed"


@pytest.mark.parametrize("collection", FACTORIES)
def test_a_preview_has_exactly_the_shape_of_the_published_item(api, collection):
    item = draft(collection, slug="previewed")
    previewed = preview(api, item).json()

    item.get_latest_revision().publish()
    published = api.get(f"/api/v1/{collection}/previewed/").json()

    moments = {"first_published_at", "last_published_at"}
    assert previewed.keys() == published.keys()
    assert {key: value for key, value in previewed.items() if key not in moments} == {
        key: value for key, value in published.items() if key not in moments
    }


def test_a_preview_is_never_stored(api):
    item = draft(name="First words")
    first = preview(api, item)
    item.name = "Second words"
    item.save_revision()

    second = preview(api, item)

    assert "no-store" in first["Cache-Control"]
    assert "private" in first["Cache-Control"]
    assert not first.has_header("ETag")
    assert second.json()["title"] == "Second words"


def test_a_preview_shows_related_items_only_where_they_are_live(api):
    live_form = TreatmentFormFactory(slug="iv-infusion")
    draft_form = draft("treatment-forms", slug="draft-form")
    item = SideEffectFactory(live=False)
    apply_to(item, live_form)
    apply_to(item, draft_form)
    cite(item, ReferenceFactory(slug="cited", live=False))
    item.save_revision()

    previewed = preview(api, item, expand="references").json()

    assert previewed["treatment_forms"] == ["iv-infusion"]
    assert previewed["references"] == []


def test_fields_and_expand_work_as_on_a_detail(api):
    item = draft()
    cite(item, ReferenceFactory(slug="a-trial"))
    item.save_revision()

    previewed = preview(api, item, fields="title,references", expand="references").json()

    assert set(previewed) == {"id", "type", "attribution", "title", "references"}
    assert previewed["references"][0]["slug"] == "a-trial"
    assert preview(api, item, expand="nothing").status_code == 400


def test_without_a_token_no_draft_is_shown(api):
    draft(slug="tiredness")

    response = api.get(PREVIEW)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "token" in response.json()["errors"]


def test_an_altered_token_is_refused(api):
    token = preview_token(draft())

    response = api.get(PREVIEW, {"token": token[:-2] + "xx"})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_for_another_item_cannot_be_made_without_the_secret(api):
    item = draft()
    forged = signing.dumps(
        {"model": "content_models.sideeffect", "id": item.pk}, key="guessed", salt="x"
    )

    assert api.get(PREVIEW, {"token": forged}).status_code == 403


def test_an_expired_token_is_refused(api, settings, monkeypatch):
    token = preview_token(draft())
    later = time.time() + settings.PREVIEW_TOKEN_MAX_AGE + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)

    assert api.get(PREVIEW, {"token": token}).status_code == 403


def test_the_token_of_a_deleted_item_answers_404(api):
    item = draft()
    token = preview_token(item)
    SideEffect.objects.get(pk=item.pk).delete()

    assert api.get(PREVIEW, {"token": token}).status_code == 404


def test_a_partner_key_previews_only_collections_in_its_scope(api):
    item = draft()
    faqs_only = {"HTTP_X_API_KEY": api_key_for(PartnerFactory(collections=["faqs"]))}
    every_collection = {"HTTP_X_API_KEY": api_key_for()}

    assert api.get(PREVIEW, {"token": preview_token(item)}, **faqs_only).status_code == 404
    assert api.get(PREVIEW, {"token": preview_token(item)}, **every_collection).status_code == 200


def admin_preview(item, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return item.serve_preview(request, "")


def test_the_admin_preview_shows_the_public_site_reading_the_draft(api, site_settings, admin_user):
    site_settings.PUBLIC_SITE_BASE_URL = "https://clinic.example"
    item = draft(name="Tiredness")

    html = admin_preview(item, admin_user).rendered_content

    prefix = 'src="https://clinic.example/preview/?'
    assert prefix in html
    query = parse_qs(html.split(prefix)[1].split('"')[0])
    assert api.get(PREVIEW, {"token": query["token"][0]}).json()["title"] == "Tiredness"


def test_without_a_public_site_the_admin_preview_gives_the_api_address(
    api, site_settings, admin_user
):
    site_settings.PUBLIC_SITE_BASE_URL = ""
    item = draft(collection="faqs")
    title = getattr(item, TITLE_FIELDS["faqs"])

    html = admin_preview(item, admin_user).rendered_content

    assert "clinic.example" not in html
    assert f"http://testserver{PREVIEW}?token=" in html
    assert title in html


def test_a_draft_citing_a_reference_deleted_since_shows_without_that_citation(api):
    item = SideEffectFactory(slug="nausea", name="Nausea")
    kept = cite(item)
    deleted = ReferenceFactory(title="Withdrawn paper")
    link_model = SideEffect._meta.get_field("reference_links").related_model
    item.reference_links.add(link_model(reference=deleted))
    item.save_revision()  # the draft cites it; the live rows do not, so it may be deleted
    deleted.delete()

    response = preview(api, item, expand="references")

    assert response.status_code == 200
    assert [citation["title"] for citation in response.json()["references"]] == [kept.title]
