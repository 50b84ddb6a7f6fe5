"""`/api/v1/manifest/`: one line per live item, for mirroring the content cheaply."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from tests.factories import (
    ArticlePageFactory,
    FAQFactory,
    MedicalReviewerFactory,
    ReferenceFactory,
    SideEffectFactory,
)
from tests.factories.syndication import PartnerFactory, api_key_for

pytestmark = pytest.mark.django_db


def manifest(api, query=""):
    response = api.get(f"/api/v1/manifest/?limit=100{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_manifest_has_each_live_item_with_its_address_and_version(api):
    side_effect = SideEffectFactory(slug="nausea")
    reference = ReferenceFactory(slug="a-trial")
    article = ArticlePageFactory(slug="how-it-works")

    entries = {(entry["type"], entry["slug"]): entry for entry in manifest(api)["results"]}

    assert set(entries) >= {
        ("side-effect", "nausea"),
        ("reference", "a-trial"),
        ("article", "how-it-works"),
        ("reviewer", side_effect.reviewed_by.slug),
    }
    nausea = entries[("side-effect", "nausea")]
    assert nausea["id"] == side_effect.pk
    assert nausea["url"] == "http://testserver/api/v1/side-effects/nausea/"
    assert nausea["next_review_due"] == side_effect.next_review_due.isoformat()
    assert entries[("reference", "a-trial")]["next_review_due"] is None
    assert entries[("article", "how-it-works")]["id"] == article.pk
    assert reference.pk == entries[("reference", "a-trial")]["id"]


def test_manifest_gives_a_next_review_date_only_for_a_real_review(api):
    SideEffectFactory(slug="reviewed")
    SideEffectFactory(slug="demo-reviewed", reviewed_by=MedicalReviewerFactory(is_demo=True))

    entries = {entry["slug"]: entry for entry in manifest(api)["results"]}

    assert entries["reviewed"]["next_review_due"] is not None
    assert entries["demo-reviewed"]["next_review_due"] is None


def test_manifest_leaves_out_drafts_and_unpublished_items(api):
    FAQFactory(slug="draft-question", live=False)
    unpublished = FAQFactory(slug="withdrawn-question")
    unpublished.unpublish()
    slugs = {entry["slug"] for entry in manifest(api)["results"]}
    assert "draft-question" not in slugs
    assert "withdrawn-question" not in slugs


def test_a_publish_gives_the_item_a_new_version(api):
    faq = FAQFactory(slug="is-it-safe", live=False)
    faq.save_revision().publish()
    before = next(entry for entry in manifest(api)["results"] if entry["slug"] == "is-it-safe")
    faq.refresh_from_db()
    faq.question = "Is ketamine therapy safe?"
    faq.save_revision().publish()
    after = next(entry for entry in manifest(api)["results"] if entry["slug"] == "is-it-safe")
    assert after["version"] != before["version"]
    assert after["modified"] >= before["modified"]


def test_manifest_pages_through_all_types_in_one_order(api):
    for _ in range(3):
        SideEffectFactory()
        FAQFactory()
    total = manifest(api)["count"]
    paged = [
        (entry["type"], entry["id"])
        for offset in range(0, total, 2)
        for entry in api.get(f"/api/v1/manifest/?limit=2&offset={offset}").json()["results"]
    ]
    assert len(paged) == total == len(set(paged))
    assert paged == sorted(paged)


def test_manifest_costs_the_same_queries_at_any_size(api):
    SideEffectFactory()
    with CaptureQueriesContext(connection) as one_item:
        api.get("/api/v1/manifest/")
    for _ in range(20):
        SideEffectFactory()
        FAQFactory()
    with CaptureQueriesContext(connection) as fifty_items:
        api.get("/api/v1/manifest/?limit=50")
    # The content generation, then the request's transaction around the view restrictions
    # (articles under one are left out), a count and a page.
    assert len(fifty_items) == len(one_item) <= 6


def test_manifest_of_another_language_lists_only_its_items(api):
    spanish = Locale.objects.get(language_code="es")
    MedicalReviewerFactory(slug="dra-garcia", locale=spanish)
    SideEffectFactory(slug="nausea")
    entries = manifest(api, "&locale=es")["results"]
    assert [entry["slug"] for entry in entries] == ["dra-garcia"]
    assert entries[0]["url"] == "http://testserver/api/v1/reviewers/dra-garcia/?locale=es"


def test_manifest_rejects_an_unknown_parameter(api):
    response = api.get("/api/v1/manifest/?type=faq")
    assert response.status_code == 400
    assert "type" in response.json()["errors"]


def test_a_partner_manifest_lists_only_the_collections_it_may_use(api):
    FAQFactory(slug="is-it-safe")
    SideEffectFactory(slug="nausea")
    api.credentials(HTTP_X_API_KEY=api_key_for(PartnerFactory(collections=["faqs"])))
    types = {entry["type"] for entry in manifest(api)["results"]}
    assert types == {"faq"}


def test_a_partner_licensed_for_nothing_gets_an_empty_manifest(api):
    FAQFactory()
    api.credentials(HTTP_X_API_KEY=api_key_for(PartnerFactory(collections=[])))
    assert manifest(api)["count"] == 0


def counting_queries(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]


def test_pages_of_unchanged_content_count_its_items_once(api):
    SideEffectFactory()
    FAQFactory()
    with CaptureQueriesContext(connection) as first_page:
        api.get("/api/v1/manifest/?limit=1")
    with CaptureQueriesContext(connection) as second_page:
        response = api.get("/api/v1/manifest/?limit=1&offset=1")
    assert counting_queries(first_page) and not counting_queries(second_page)
    assert response.json()["count"] == manifest(api)["count"]


def test_a_publish_and_an_unpublish_are_counted_at_once(api):
    reference = ReferenceFactory()
    assert manifest(api)["count"] == 1
    ReferenceFactory()
    assert manifest(api)["count"] == 2
    reference.unpublish()
    assert manifest(api)["count"] == 1
