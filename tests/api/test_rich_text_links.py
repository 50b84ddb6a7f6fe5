"""Links inside rich text lead readers to the public site (or the API), never to drafts."""

import pytest
from wagtail.models import PageViewRestriction

from content_models.models import SideEffectTreatmentForm
from tests.factories import ArticlePageFactory, FAQFactory, SideEffectFactory, TreatmentFormFactory

pytestmark = pytest.mark.django_db


def faq_linking_to(page):
    FAQFactory(
        slug="linked", answer=f'<p>See <a linktype="page" id="{page.pk}">this article</a>.</p>'
    )
    return "/api/v1/faqs/linked/"


def test_link_to_an_article_points_at_its_public_page(api, site_settings):
    site_settings.PUBLIC_SITE_BASE_URL = "https://clinic.example"
    article = ArticlePageFactory(slug="how-it-works")
    answer = api.get(faq_linking_to(article)).json()["answer"]
    assert '<a href="https://clinic.example/articles/how-it-works/">this article</a>' in answer
    assert "linktype" not in answer


def test_without_a_public_site_the_link_points_at_the_api(api, site_settings):
    site_settings.PUBLIC_SITE_BASE_URL = ""
    article = ArticlePageFactory(slug="how-it-works")
    answer = api.get(faq_linking_to(article)).json()["answer"]
    assert '<a href="/api/v1/articles/how-it-works/">this article</a>' in answer


def test_link_to_an_unpublished_article_keeps_its_text_but_no_address(api):
    article = ArticlePageFactory(slug="draft-article", live=False)
    answer = api.get(faq_linking_to(article)).json()["answer"]
    assert "<a>this article</a>" in answer
    assert "draft-article" not in answer


def test_link_to_a_restricted_article_keeps_its_text_but_no_address(api):
    article = ArticlePageFactory(slug="members-only")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="clinic"
    )
    answer = api.get(faq_linking_to(article)).json()["answer"]
    assert "<a>this article</a>" in answer
    assert "members-only" not in answer


def test_an_item_expanded_under_several_items_carries_its_resolved_links_under_each(api):
    # The expanded form is serialized once for the response and shown under both side effects.
    article = ArticlePageFactory(slug="how-it-works")
    form = TreatmentFormFactory(
        slug="iv-infusion",
        description=f'<p>See <a linktype="page" id="{article.pk}">how it works</a>.</p>',
    )
    for slug in ("nausea", "dizziness"):
        side_effect = SideEffectFactory(slug=slug)
        side_effect.treatment_form_links = [SideEffectTreatmentForm(treatment_form=form)]
        side_effect.save()

    items = api.get("/api/v1/side-effects/?expand=treatment_forms").json()["results"]

    descriptions = [item["treatment_forms"][0]["description"] for item in items]
    assert len(descriptions) == 2
    for description in descriptions:
        assert '<a href="/api/v1/articles/how-it-works/">how it works</a>' in description
