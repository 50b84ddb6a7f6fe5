"""Every change that makes an item appear or disappear for readers reaches partners: sync sends
it (`delete` or `upsert`) and webhooks announce it. That covers view restrictions put on or
lifted from articles, and expiry; and an item that shows another one (cites it, lists it,
embeds it) is sent again when that one appears, disappears or, embedded, changes."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import Page, PageViewRestriction

from content_models.generation import ContentGeneration
from content_models.models import FAQ, ArticleIndexPage, ContentChange
from syndication.enums import WebhookEvent
from syndication.models import WebhookDelivery, WebhookEndpoint
from tests.api.v1.helpers import Mirror
from tests.factories import (
    ArticlePageFactory,
    FAQFactory,
    ReferenceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    apply_to,
    cite,
)
from tests.factories.syndication import PartnerFactory

pytestmark = pytest.mark.django_db


def publish(item):
    """Publish an item through Wagtail's publish, as editors do."""
    item.save_revision().publish()
    item.refresh_from_db()
    return item


def draft(factory, **fields):
    return factory(live=False, **fields)


def article_embedding(faq):
    return draft(
        ArticlePageFactory,
        body=[{"type": "faq_list", "value": {"heading": "Questions", "items": [faq.pk]}}],
    )


@pytest.fixture
def mirror():
    """A partner's copy of the content, kept by following the sync cursors anonymously."""
    api = APIClient()

    def fetch_page(cursor):
        response = api.get("/api/v1/sync/", {"cursor": cursor} if cursor else {})
        assert response.status_code == 200, response.content
        return response.json()

    copy = Mirror(fetch_page)
    copy.sync()
    return copy


@pytest.fixture
def endpoint():
    """A partner's webhook endpoint that wants every event of every collection."""
    return WebhookEndpoint.objects.create(
        partner=PartnerFactory(),
        url="http://127.0.0.1:9/hooks/",
        events=list(WebhookEvent.values),
    )


def events_for(endpoint, item) -> list[str]:
    """The events queued for the endpoint about one item, in order."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint, change__object_id=item.pk)
        .filter(change__content_type__model=type(item)._meta.model_name)
        .order_by("change_id")
        .values_list("event", flat=True)
    )


def synced(mirror, key) -> dict | None:
    """The partner's copy of one item after syncing what changed."""
    mirror.sync()
    return mirror.items.get(key)


def restrict(page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="clinic-staff"
    )


# View restrictions


def test_a_view_restriction_on_a_live_article_is_synced_as_a_delete_and_announced(mirror, endpoint):
    article = publish(draft(ArticlePageFactory))
    assert synced(mirror, ("articles", article.pk))["title"] == article.title

    restrict(article)

    assert synced(mirror, ("articles", article.pk)) is None
    assert events_for(endpoint, article) == ["content.published", "content.unpublished"]


def test_lifting_the_view_restriction_sends_the_article_again(mirror, endpoint):
    article = publish(draft(ArticlePageFactory))
    restriction = restrict(article)
    assert synced(mirror, ("articles", article.pk)) is None

    restriction.delete()

    assert synced(mirror, ("articles", article.pk))["title"] == article.title
    assert events_for(endpoint, article) == [
        "content.published",
        "content.unpublished",
        "content.published",
    ]


def test_a_view_restriction_on_the_section_withdraws_every_article_below_it(mirror, endpoint):
    articles = [publish(draft(ArticlePageFactory)) for _ in range(2)]
    mirror.sync()
    assert all(("articles", article.pk) in mirror.items for article in articles)

    restrict(ArticleIndexPage.objects.get())

    mirror.sync()
    assert not any(("articles", article.pk) in mirror.items for article in articles)
    assert all(events_for(endpoint, article)[-1] == "content.unpublished" for article in articles)


def test_an_article_published_under_a_view_restriction_is_announced_only_once_lifted(endpoint):
    article = draft(ArticlePageFactory)
    restriction = restrict(article)
    publish(article)
    assert events_for(endpoint, article) == []

    restriction.delete()

    assert events_for(endpoint, article) == ["content.published"]


def test_a_restricted_article_deleted_is_announced_as_deleted_only(endpoint):
    article = publish(draft(ArticlePageFactory))
    restrict(article)

    article.delete()

    # Its restriction goes with it: that is no reason to announce the article again.
    assert [
        change.action
        for change in ContentChange.objects.filter(object_id=article.pk).order_by("id")
    ] == ["published", "unpublished", "deleted"]


def test_changing_a_view_restriction_that_keeps_the_article_hidden_announces_nothing(endpoint):
    article = publish(draft(ArticlePageFactory))
    restriction = restrict(article)

    restriction.restriction_type = PageViewRestriction.LOGIN
    restriction.save()

    assert events_for(endpoint, article) == ["content.published", "content.unpublished"]


def test_an_article_moved_under_a_restricted_section_is_withdrawn(mirror, endpoint):
    article = publish(draft(ArticlePageFactory))
    elsewhere = Page.get_first_root_node().add_child(instance=Page(title="Staff area"))
    staff_section = elsewhere.add_child(instance=ArticleIndexPage(title="Staff articles"))
    restrict(staff_section)
    assert synced(mirror, ("articles", article.pk))

    article.move(staff_section, pos="last-child")

    assert synced(mirror, ("articles", article.pk)) is None
    assert events_for(endpoint, article) == ["content.published", "content.unpublished"]


# Expiry


def reach_expiry(item) -> None:
    """Move the item's expiry date into the past, as time passing would: the content
    generation, which recorded the date when the item was published, now finds it reached."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    type(item).objects.filter(pk=item.pk).update(expire_at=past)
    ContentGeneration.objects.filter(pk=1).update(next_expiry=past)
    # Readers hold the generation in Redis: they read the row again once it is gone.
    cache.clear()


def test_an_expired_item_is_synced_as_a_delete_and_announced_at_the_first_read_after(
    mirror, endpoint
):
    faq = publish(draft(FAQFactory))
    mirror.sync()

    reach_expiry(faq)

    assert synced(mirror, ("faqs", faq.pk)) is None
    assert events_for(endpoint, faq) == ["content.published", "content.unpublished"]


def test_the_scheduled_run_after_an_expiry_already_logged_logs_nothing_more(mirror, endpoint):
    faq = publish(draft(FAQFactory))
    reach_expiry(faq)
    mirror.sync()

    call_command("publish_scheduled")

    assert not FAQ.objects.get(pk=faq.pk).live
    assert events_for(endpoint, faq) == ["content.published", "content.unpublished"]


# Items that show another: citations, relations, embedded items


def test_items_citing_a_reference_are_sent_again_when_it_is_unpublished_and_republished(
    mirror, endpoint
):
    reference = publish(draft(ReferenceFactory))
    faq = draft(FAQFactory)
    cite(faq, reference)
    publish(faq)
    assert synced(mirror, ("faqs", faq.pk))["references"] == [reference.slug]

    reference.unpublish()
    assert synced(mirror, ("faqs", faq.pk))["references"] == []
    publish(reference)
    assert synced(mirror, ("faqs", faq.pk))["references"] == [reference.slug]

    assert events_for(endpoint, faq) == ["content.published", "content.updated", "content.updated"]


def test_items_citing_a_reference_are_sent_again_when_it_is_deleted(mirror, endpoint):
    reference = publish(draft(ReferenceFactory))
    article = draft(
        ArticlePageFactory, body=[{"type": "citations", "value": [reference.pk]}]
    )  # embeds the reference in its body: a citation in the body alone does not protect it
    publish(article)
    assert synced(mirror, ("articles", article.pk))["body"][0]["value"][0]["id"] == reference.pk

    reference.delete()

    assert synced(mirror, ("articles", article.pk))["body"] == []
    assert events_for(endpoint, article) == ["content.published", "content.updated"]


def test_an_embedded_faq_unpublished_expired_or_changed_sends_its_article_again(mirror, endpoint):
    faq = publish(draft(FAQFactory, question="Is it safe?"))
    article = publish(article_embedding(faq))

    def embedded_questions():
        body = synced(mirror, ("articles", article.pk))["body"]
        return [item["title"] for block in body for item in block["value"]["items"]]

    assert embedded_questions() == ["Is it safe?"]
    faq.question = "Is ketamine therapy safe?"
    publish(faq)
    assert embedded_questions() == ["Is ketamine therapy safe?"]
    faq.unpublish()
    assert embedded_questions() == []
    publish(faq)
    assert embedded_questions() == ["Is ketamine therapy safe?"]
    reach_expiry(faq)
    assert embedded_questions() == []

    assert events_for(endpoint, article) == ["content.published", *["content.updated"] * 4]


def test_a_side_effect_unpublished_leaves_the_treatment_forms_that_list_it(mirror, endpoint):
    form = publish(draft(TreatmentFormFactory))
    side_effect = draft(SideEffectFactory)
    apply_to(side_effect, form)
    publish(side_effect)
    assert synced(mirror, ("treatment-forms", form.pk))["side_effects"] == [side_effect.slug]

    side_effect.unpublish()

    assert synced(mirror, ("treatment-forms", form.pk))["side_effects"] == []
    assert events_for(endpoint, form)[-1] == "content.updated"


def test_an_update_that_keeps_an_item_and_its_slug_sends_only_what_embeds_it(endpoint):
    reference = publish(draft(ReferenceFactory))
    faq = draft(FAQFactory)
    cite(faq, reference)
    publish(faq)

    reference.title = "A better title"
    publish(reference)

    # The FAQ shows the reference by its slug, which did not change.
    assert events_for(endpoint, faq) == ["content.published"]


def test_items_never_announced_are_not_announced_by_a_change_of_what_they_show(endpoint):
    reference = publish(draft(ReferenceFactory))
    faq = FAQFactory()  # saved live outside Wagtail's publish: partners were never told of it
    cite(faq, reference)

    reference.unpublish()

    assert events_for(endpoint, faq) == []
