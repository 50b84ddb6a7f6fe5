"""The real worker: `make worker`, as a developer starts it beside `make run`, in a process of
its own. It reads what the test commits, so the test runs on a `committed_database`."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from content_models.enums import ChangeAction
from content_models.models import FAQ, ContentChange
from syndication.enums import DeliveryStatus, WebhookEvent
from syndication.models import Partner, WebhookDelivery, WebhookEndpoint
from tests.processes import server_environment, start, stop, wait_for


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


@pytest.mark.slow
def test_make_worker_sends_signed_webhooks_and_picks_up_deliveries_after_a_restart(
    receiver, committed_database, tmp_path
):
    log_path = tmp_path / "worker.log"
    environment = server_environment(committed_database)
    partner = Partner.objects.create(name="Worker test clinic", collections=["faqs"])
    endpoint = WebhookEndpoint.objects.create(
        partner=partner, url=receiver.url, events=[WebhookEvent.PUBLISHED]
    )

    def succeeded() -> int:
        return WebhookDelivery.objects.filter(
            endpoint=endpoint, status=DeliveryStatus.SUCCEEDED
        ).count()

    worker = start(["make", "worker"], log_path, environment)
    try:
        first = log_change("sent-while-running")
        # Sent, and recorded as sent: stopped before it records it, the worker would leave the
        # delivery to be sent again by the next one (webhooks are sent at least once).
        assert wait_for(lambda: succeeded() == 1), log_path.read_text()
        assert len(receiver.requests) == 1
    finally:
        stop(worker)

    # Queued while no worker runs, and its task lost as with a crash: the delivery row is all
    # there is, and the next worker sends it.
    second = log_change("sent-after-restart")
    DBTaskResult.objects.filter(status="READY").delete()
    worker = start(["make", "worker"], log_path, environment)
    try:
        assert wait_for(lambda: succeeded() == 2), log_path.read_text()
        assert len(receiver.requests) == 2
    finally:
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
