"""Sync when publishes commit out of order: the first to start commits last.

The editors publish and commit for real, each on its own connection (a thread), while the
partner syncs on the test's connection, which only reads: its transaction sees what the
others commit. What they committed is removed afterwards, and the test checks it was.
"""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from rest_framework.test import APIRequestFactory
from wagtail.models import ModelLogEntry

from api.v1.sync import SyncState, sync_page
from content_models.models import ContentChange, Reference
from tests.factories import ReferenceFactory

from .helpers import Mirror

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def on_its_own_connection(work) -> threading.Thread:
    """A thread running `work` on a database connection of its own, closed when done."""

    def run():
        try:
            work()
        finally:
            connection.close()

    return threading.Thread(target=run)


def committed(work):
    """Run `work` on another connection and wait until it has committed."""
    thread = on_its_own_connection(work)
    thread.start()
    thread.join(timeout=30)


def test_publishes_committing_out_of_order_all_reach_a_partner_syncing_between(settings):
    # Updating the search index makes concurrent publishes wait for each other by chance;
    # without it, only the change log's own ordering stands between them.
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
    }
    rows_before = row_counts()
    last_change = ContentChange.objects.order_by("-id").values_list("id", flat=True).first()
    drafts = []
    committed(lambda: drafts.extend([ReferenceFactory(live=False), ReferenceFactory(live=False)]))
    first, second = drafts
    state = SyncState(locale="en", partner=None)
    request = APIRequestFactory().get("/api/v1/sync/")
    mirror = Mirror(
        lambda cursor: sync_page(state, scope=["references"], limit=100, request=request)
    )
    first_published, may_commit = threading.Event(), threading.Event()

    def publish_first_and_wait():
        with transaction.atomic():
            first.save_revision().publish()
            first_published.set()
            may_commit.wait(timeout=30)

    def publish_second():
        with transaction.atomic():
            second.save_revision().publish()

    slow_editor = on_its_own_connection(publish_first_and_wait)
    quick_editor = on_its_own_connection(publish_second)
    try:
        slow_editor.start()
        assert first_published.wait(timeout=30)
        quick_editor.start()
        # Give the second publish every chance to commit before the first one does.
        quick_editor.join(timeout=1)
        mirror.sync()  # while the first publish is still uncommitted

        may_commit.set()
        slow_editor.join(timeout=30)
        quick_editor.join(timeout=30)
        mirror.sync()

        assert {("references", first.pk), ("references", second.pk)} <= set(mirror.items)
    finally:
        may_commit.set()
        slow_editor.join(timeout=30)
        quick_editor.join(timeout=30)

        def remove_what_was_committed():
            ids = [first.pk, second.pk]
            for item in Reference.objects.filter(pk__in=ids):
                item.delete()
            ContentChange.objects.filter(id__gt=last_change or 0).delete()
            # Wagtail keeps the history of deleted items; these were never real content.
            ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Reference),
                object_id__in=[str(pk) for pk in ids],
            ).delete()

        committed(remove_what_was_committed)
    assert row_counts() == rows_before
