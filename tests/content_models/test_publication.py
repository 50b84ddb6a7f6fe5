"""The publication service: one renewal of the content generation per transaction, none for a
draft, one for a whole scheduled-publishing run, and one for readers that meet an expiry."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content_models import content_generation
from content_models.models import FAQ, ContentGeneration
from tests.factories import ArticlePageFactory, FAQFactory

pytestmark = pytest.mark.django_db

GENERATION_TABLE = ContentGeneration._meta.db_table


def renewals(queries: CaptureQueriesContext) -> int:
    """How many times the queries rewrote the content generation."""
    update = f'UPDATE "{GENERATION_TABLE}"'
    return sum(query["sql"].startswith(update) for query in queries.captured_queries)


def test_saving_a_draft_renews_nothing():
    live, draft = FAQFactory(), FAQFactory(live=False)
    with CaptureQueriesContext(connection) as queries:
        draft.save_revision()
        live.question = "A draft question?"
        live.save_revision()
    assert renewals(queries) == 0


def test_a_publish_renews_the_generation_once():
    faq = FAQFactory(live=False)
    with CaptureQueriesContext(connection) as queries:
        faq.save_revision().publish()
    assert renewals(queries) == 1


def test_a_transaction_publishing_several_items_renews_the_generation_once():
    faqs = [FAQFactory(live=False) for _ in range(3)]
    article = ArticlePageFactory(live=False)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for faq in faqs:
            faq.save_revision().publish()
        article.save_revision().publish()
        faqs[0].unpublish()
    assert renewals(queries) == 1


def test_each_transaction_renews_the_generation_once_of_its_own():
    first, second = FAQFactory(live=False), FAQFactory(live=False)
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            first.save_revision().publish()
        with transaction.atomic():
            second.save_revision().publish()
    assert renewals(queries) == 2


def test_a_renewal_rolled_back_with_its_change_is_made_again_by_the_next_change():
    first, second = FAQFactory(live=False), FAQFactory(live=False)
    before = ContentGeneration.objects.get().token
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        try:
            with transaction.atomic():
                first.save_revision().publish()
                raise RuntimeError("the editor's request failed")
        except RuntimeError:
            pass
        second.save_revision().publish()
    assert renewals(queries) == 2
    assert ContentGeneration.objects.get().token != before


def test_a_later_publish_in_the_transaction_brings_the_next_expiry_forward():
    soon = timezone.now() + datetime.timedelta(hours=1)
    first, second = FAQFactory(live=False), FAQFactory(live=False, expire_at=soon)
    with transaction.atomic():
        first.save_revision().publish()
        second.save_revision().publish()
    assert ContentGeneration.objects.get().next_expiry == soon


def test_unpublishing_and_deleting_an_article_renew_once_each():
    article = ArticlePageFactory()
    with CaptureQueriesContext(connection) as unpublished:
        article.unpublish()
    article.save_revision().publish()
    with CaptureQueriesContext(connection) as deleted:
        article.delete()
    assert (renewals(unpublished), renewals(deleted)) == (1, 1)


def test_a_scheduled_publishing_run_renews_the_generation_once_for_all_its_changes():
    past = timezone.now() - datetime.timedelta(minutes=1)
    for _ in range(3):
        FAQFactory()
    FAQ.objects.update(expire_at=past)
    with CaptureQueriesContext(connection) as queries:
        call_command("publish_scheduled")
    assert not FAQ.objects.filter(live=True).exists()
    assert renewals(queries) == 1


def test_a_scheduled_publishing_run_with_nothing_to_do_renews_nothing():
    FAQFactory()
    with CaptureQueriesContext(connection) as queries:
        call_command("publish_scheduled")
    assert renewals(queries) == 0


def test_readers_that_all_meet_an_expiry_renew_the_generation_once():
    """Readers that found the generation expired queue on its lock; the first renews it, and
    each one after finds it renewed. The readers commit, each on its own connection."""

    def on_its_own_connection(work):
        def run():
            try:
                work()
            finally:
                connection.close()

        return threading.Thread(target=run)

    def expire():
        past = timezone.now() - datetime.timedelta(seconds=1)
        ContentGeneration.objects.filter(pk=1).update(next_expiry=past)

    tokens = []
    first_renewed, may_commit = threading.Event(), threading.Event()

    def first_reader():
        with transaction.atomic():
            tokens.append(content_generation.renew_if_expired().token)
            first_renewed.set()
            may_commit.wait(timeout=30)

    def second_reader():
        tokens.append(content_generation.renew_if_expired().token)

    setup = on_its_own_connection(expire)
    setup.start()
    setup.join(timeout=30)
    first, second = on_its_own_connection(first_reader), on_its_own_connection(second_reader)
    try:
        first.start()
        assert first_renewed.wait(timeout=30)
        second.start()
        second.join(timeout=1)  # waiting on the lock the first reader holds
        assert second.is_alive()
    finally:
        may_commit.set()
        first.join(timeout=30)
        second.join(timeout=30)
    assert len(tokens) == 2 and tokens[0] == tokens[1]
