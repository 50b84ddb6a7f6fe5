"""The page tree as HTML (Wagtail's rendering at `/`): off unless SERVE_HTML_PAGES turns it on,
and wherever it renders, only what readers may see: no restricted, expired or unpublished
article in the index, no embedded item that is not live in an article."""

import datetime
import importlib

import pytest
from django.urls import clear_url_caches
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

import cms.urls
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    EligibilityRuleFactory,
    FAQFactory,
    ReferenceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = "Quetzalcoatl"
SHOWN = "Ordinary published wording"
PAST = datetime.timedelta(hours=1)


def reload_urls():
    """The URLs as the settings now say: cms/urls.py reads SERVE_HTML_PAGES when imported."""
    importlib.reload(cms.urls)
    clear_url_caches()


@pytest.fixture
def html_pages(settings):
    """The page tree served at `/`, as in dev.py or with SERVE_HTML_PAGES=true."""
    settings.SERVE_HTML_PAGES = True
    reload_urls()
    yield
    settings.SERVE_HTML_PAGES = False
    reload_urls()


@pytest.fixture
def article_index():
    """The articles' section as the root of the default site, as the demo content sets it."""
    index = ArticleIndexPageFactory()
    site = Site.objects.get(is_default_site=True)
    site.root_page = index
    site.save()
    return index


def test_the_page_tree_is_not_served_unless_turned_on(client, article_index):
    article = ArticlePageFactory(slug="what-to-expect")
    assert client.get("/").status_code == 404
    assert client.get(f"/{article.slug}/").status_code == 404


def test_the_page_tree_is_served_when_turned_on(client, html_pages, article_index):
    ArticlePageFactory(title=SHOWN)
    response = client.get("/")
    assert response.status_code == 200
    assert SHOWN in response.content.decode()
    # Served under the site's Content-Security-Policy, which runs no inline style.
    assert "<style" not in response.content.decode()


def unpublish(article):
    article.unpublish()


def expire(article):
    # Past its expiry, and still marked live: Wagtail's expiry job has not run yet.
    article.expire_at = timezone.now() - PAST
    article.save()


def restrict(article):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="clinic"
    )


@pytest.mark.parametrize("hide", [unpublish, expire, restrict], ids=lambda hide: hide.__name__)
def test_the_index_lists_only_articles_readers_may_see(client, html_pages, article_index, hide):
    ArticlePageFactory(title=SHOWN)
    hide(ArticlePageFactory(title=HIDDEN))

    page = client.get("/").content.decode()

    assert SHOWN in page
    assert HIDDEN not in page


def test_an_expired_article_is_not_served(client, html_pages, article_index):
    article = ArticlePageFactory(slug="expired-article")
    expire(article)
    assert client.get(f"/{article.slug}/").status_code == 404


# Each kind of item an article embeds: its factory, the field readers see it by, and the body
# block that embeds a list of items.
EMBEDDED = {
    "faqs": (FAQFactory, "question", lambda ids: ("faq_list", {"heading": "", "items": ids})),
    "side-effects": (
        SideEffectFactory,
        "name",
        lambda ids: ("side_effect_list", {"heading": "", "items": ids}),
    ),
    "eligibility-rules": (
        EligibilityRuleFactory,
        "title",
        lambda ids: ("eligibility_rule_list", {"heading": "", "items": ids}),
    ),
    "references": (ReferenceFactory, "title", lambda ids: ("citations", ids)),
    "comparison-table-references": (
        ReferenceFactory,
        "title",
        lambda ids: (
            "comparison_table",
            {
                "caption": "Ketamine and ECT",
                "compared_with": "ECT",
                "rows": [{"aspect": "Speed", "ketamine": "Hours", "comparator": "Weeks"}],
                "references": ids,
            },
        ),
    ),
}


def hidden_item(kind: str, factory, title_field: str):
    """An item titled HIDDEN that readers may not see, made `kind` of not live."""
    item = factory(**{title_field: HIDDEN})
    if kind == "draft":
        item.live = False
    elif kind == "expired":
        item.expire_at = timezone.now() - PAST
    item.save()
    if kind == "unpublished":
        item.unpublish()
    return item


@pytest.mark.parametrize("kind", ["draft", "unpublished", "expired"])
@pytest.mark.parametrize("collection", EMBEDDED)
def test_an_article_renders_no_embedded_item_that_is_not_live(
    client, html_pages, article_index, collection, kind
):
    factory, title_field, block = EMBEDDED[collection]
    shown = factory(**{title_field: SHOWN})
    hidden = hidden_item(kind, factory, title_field)
    block_type, value = block([hidden.pk, shown.pk])
    article = ArticlePageFactory(slug="the-article", body=[{"type": block_type, "value": value}])

    page = client.get(f"/{article.slug}/").content.decode()

    assert SHOWN in page
    assert HIDDEN not in page


@pytest.mark.parametrize("kind", ["draft", "unpublished", "expired"])
def test_an_article_renders_no_treatment_form_card_that_is_not_live(
    client, html_pages, article_index, kind
):
    hidden = hidden_item(kind, TreatmentFormFactory, "name")
    article = ArticlePageFactory(
        slug="the-article", body=[{"type": "treatment_form", "value": hidden.pk}]
    )

    page = client.get(f"/{article.slug}/").content.decode()

    assert HIDDEN not in page


def test_an_article_preview_works_without_the_page_tree_and_shows_only_live_items(
    article_index,
):
    hidden = hidden_item("draft", FAQFactory, "question")
    article = ArticlePageFactory(
        title="Previewed article",
        body=[{"type": "faq_list", "value": {"heading": "", "items": [hidden.pk]}}],
    )

    preview = article.make_preview_request()

    assert preview.status_code == 200
    page = preview.render().content.decode()
    assert "Previewed article" in page
    assert HIDDEN not in page
