"""The publication service: one renewal of the content generation per change, none for a
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
