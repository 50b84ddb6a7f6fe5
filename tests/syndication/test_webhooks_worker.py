"""The real worker: `manage.py webhook_worker` as its own process, against the test database.

The worker reads what this test commits, so the test cannot run inside a transaction that
is rolled back. Nor does it use `transaction=True`: that flushes every table afterwards,
which would remove the rows Wagtail's migrations made (root page, default site, locales)
and break every later run with --reuse-db. It commits through the ordinary connection and
deletes exactly the rows it made.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from content_models.enums import ChangeAction
from content_models.models import FAQ, ContentChange
from syndication.enums import WebhookEvent
from syndication.models import Partner, WebhookDelivery, WebhookEndpoint

ROOT = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """DATABASE_URL, naming the test database the worker must use."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def start_worker(log_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "webhook_worker", "--interval=0.1", "--no-startup-delay"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": worker_database_url(),
        },
        stdout=log_path.open("a"),
        stderr=subprocess.STDOUT,
    )


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_for(condition, seconds=30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def log_change(slug: str) -> ContentChange:
    """A change as a publish logs it (and commits it: this connection is in autocommit)."""
    return ContentChange.objects.create(
        content_type=ContentType.objects.get_for_model(FAQ),
        object_id=2_000_000_000,
        slug=slug,
        language_code="en",
        action=ChangeAction.PUBLISHED,
        occurred_at=timezone.now(),
    )


def test_the_worker_process_sends_signed_webhooks_and_picks_up_deliveries_after_a_restart(
    receiver, django_db_setup, django_db_blocker, tmp_path
):
    log_path = tmp_path / "worker.log"
    worker = None
    with django_db_blocker.unblock():
        changes_before = ContentChange.objects.order_by("-id").values_list("id", flat=True)
        last_change = changes_before.first() or 0
        tasks_before = set(DBTaskResult.objects.values_list("id", flat=True))
        partner = Partner.objects.create(name="Worker test clinic", collections=["faqs"])
        endpoint = WebhookEndpoint.objects.create(
            partner=partner, url=receiver.url, events=[WebhookEvent.PUBLISHED]
        )
        try:
            worker = start_worker(log_path)
            first = log_change("sent-while-running")
            assert wait_for(lambda: len(receiver.requests) == 1), log_path.read_text()
            stop(worker)

            # Queued while no worker runs, and its task lost as with a crash: the delivery
            # row is all there is, and the next worker sends it.
            second = log_change("sent-after-restart")
            DBTaskResult.objects.exclude(id__in=tasks_before).filter(status="READY").delete()
            worker = start_worker(log_path)
            assert wait_for(lambda: len(receiver.requests) == 2), log_path.read_text()
            stop(worker)

            verifier = Webhook(endpoint.secret)
            sent = [verifier.verify(r.body, r.headers)["data"] for r in receiver.requests]
            assert [(data["sequence"], data["slug"]) for data in sent] == [
                (first.pk, "sent-while-running"),
                (second.pk, "sent-after-restart"),
            ]
            assert set(
                WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)
            ) == {"succeeded"}
        finally:
            if worker and worker.poll() is None:
                stop(worker)
            endpoint.delete()  # and its deliveries and their attempts
            partner.delete()
            ContentChange.objects.filter(id__gt=last_change).delete()
            DBTaskResult.objects.exclude(id__in=tasks_before).delete()
        assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


@pytest.mark.django_db
def test_the_worker_test_left_nothing_behind():
    """Runs after the test above (same module, in order): the database is as migrations
    left it, with no partner, change log entry or task from it."""
    assert not Partner.objects.filter(name="Worker test clinic").exists()
    assert not ContentChange.objects.filter(object_id=2_000_000_000).exists()
    assert not DBTaskResult.objects.filter(backend_name="webhooks").exists()
