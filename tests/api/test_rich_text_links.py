"""Links inside rich text lead readers to the public site (or the API), never to drafts."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import ArticlePageFactory, FAQFactory

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
