"""The change log partners sync from: every public change, once, in commit order."""

import datetime
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from content_models.enums import ChangeAction
from content_models.models import FAQ, ContentChange
from tests.factories import ArticlePageFactory, FAQFactory

pytestmark = pytest.mark.django_db


def logged(item, pk=None) -> list[str]:
    """The actions logged for an item; `pk` for an item deleted since (its pk is gone)."""
    return list(
        ContentChange.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=pk or item.pk
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def draft_faq(**kwargs):
    return FAQFactory(live=False, **kwargs)


def test_first_publish_is_published_and_a_later_one_updated():
    faq = draft_faq()
    faq.save_revision().publish()
    faq.question = "Is ketamine therapy safe?"
    faq.save_revision().publish()
    assert logged(faq) == [ChangeAction.PUBLISHED, ChangeAction.UPDATED]


def test_saving_a_draft_logs_nothing():
    faq = draft_faq()
    faq.save_revision()
    assert logged(faq) == []


def test_unpublish_and_delete_of_public_content_are_logged():
    faq = draft_faq()
    faq.save_revision().publish()
    faq.refresh_from_db()
    faq.unpublish()
    faq.save_revision().publish()
    pk = faq.pk
    faq.delete()
    assert logged(faq, pk) == [
        ChangeAction.PUBLISHED,
        ChangeAction.UNPUBLISHED,
        ChangeAction.PUBLISHED,
        ChangeAction.DELETED,
    ]


def test_content_never_published_leaves_no_trace_when_deleted():
    faq = draft_faq()
    faq.save_revision()
    faq.unpublish()
    pk = faq.pk
    faq.delete()
    assert logged(faq, pk) == []


def test_a_rolled_back_publish_logs_nothing():
    faq = draft_faq()
    with pytest.raises(RuntimeError), transaction.atomic():
        faq.save_revision().publish()
        raise RuntimeError("the editor's request failed after publishing")
    assert logged(faq) == []


def test_an_article_is_logged_once_per_change():
    article = ArticlePageFactory(live=False)
    article.save_revision().publish()
    article.refresh_from_db()
    article.unpublish()
    article.save_revision().publish()
    article.refresh_from_db()
    pk = article.pk
    article.delete()
    assert logged(article, pk) == [
        ChangeAction.PUBLISHED,
        ChangeAction.UNPUBLISHED,
        ChangeAction.PUBLISHED,
        ChangeAction.DELETED,
    ]


def expired_faq():
    faq = draft_faq()
    faq.save_revision().publish()
    FAQ.objects.filter(pk=faq.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    return faq


def test_the_scheduled_publishing_job_logs_an_expiry_as_an_unpublish():
    faq = expired_faq()
    call_command("publish_scheduled")
    assert logged(faq) == [ChangeAction.PUBLISHED, ChangeAction.UNPUBLISHED]


def test_the_scheduled_publishing_job_unpublishes_nothing_it_could_not_log(monkeypatch):
    faq = expired_faq()

    def log_unavailable(**fields):
        raise OperationalError("the database went away while logging")

    monkeypatch.setattr(ContentChange.objects, "create", log_unavailable)
    with pytest.raises(OperationalError):
        call_command("publish_scheduled")
    faq.refresh_from_db()
    assert faq.live  # a mirror that was never told keeps the same content as the site


def test_a_change_waits_while_another_change_is_uncommitted():
    """What keeps the log in commit order: no change can be written while another
    transaction with a change is still open. Here the test's own transaction holds one."""
    draft_faq().save_revision().publish()
    outcome = {}

    def publish_from_another_connection():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                draft_faq().save_revision().publish()
        except OperationalError as error:
            outcome["error"] = str(error)
        finally:
            connection.close()

    other_editor = threading.Thread(target=publish_from_another_connection)
    other_editor.start()
    other_editor.join(timeout=10)
    assert "lock timeout" in outcome.get("error", "")
