"""The webhook worker's task (django-tasks, database backend "webhooks"; run by
`manage.py webhook_worker`): one attempt at one delivery, and the queue of such tasks.

A task carries only a delivery id. It claims the delivery if it is due, sends it, records the
attempt, and queues what follows: the retry of a failed delivery, or the endpoint's next
delivery once this one has ended. A task that finds nothing due exits, so a duplicate task
is harmless and queueing one more is always safe.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .enums import OUTSTANDING_STATUSES, DeliveryStatus
from .models import WebhookDelivery
from .webhook_delivery import claim, record_attempt
from .webhook_transport import post

logger = logging.getLogger(__name__)


@task(backend="webhooks", queue_name="webhooks")
def deliver_webhook(delivery_id: int) -> str:
    """Attempt one webhook delivery if it is due. Carries only the id: the delivery's row has
    everything else, so a task queued before a restart of the worker still does its job."""
    return attempt_delivery(delivery_id)


def attempt_delivery(delivery_id: int) -> str:
    """Send the delivery if it is due and first in its endpoint's queue; says what happened."""
    delivery = claim(delivery_id)
    if isinstance(delivery, str):
        return delivery
    outcome = post(delivery)
    with transaction.atomic():
        result = record_attempt(delivery, outcome)
        if delivery.status == DeliveryStatus.FAILED:
            enqueue([delivery.pk], run_after=delivery.next_attempt_at)
        else:
            # Looked up after the commit: a delivery to this endpoint committed meanwhile may
            # have had its task run, find this one still outstanding and exit; a look from
            # inside this transaction could miss it. (A worker that dies before this runs
            # queues every outstanding delivery when it starts again.)
            transaction.on_commit(lambda: queue_next(delivery.endpoint_id))
    logger.info("Webhook delivery %s: %s", delivery.pk, result)
    return result


def enqueue(delivery_ids: list[int], run_after: datetime.datetime | None = None) -> None:
    """Ask the worker to look at these deliveries (at `run_after`, or as soon as it can).

    Called inside the transaction that makes the deliveries due. django-tasks-db's backend
    stores each task as a row on the default database, through the caller's connection and
    with no on-commit step of its own, so the tasks commit or roll back with the deliveries.
    Queued on commit instead, a process that died just after the commit would leave a
    delivery with no task, and every later delivery to its endpoint waiting behind it until
    the worker restarted (`requeue_outstanding`).
    """
    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    for delivery_id in delivery_ids:
        task.enqueue(delivery_id)


def queue_next(endpoint_id: int) -> None:
    """Queue the endpoint's next outstanding delivery in sequence order, if any."""
    following = (
        WebhookDelivery.objects.filter(endpoint=endpoint_id, status__in=OUTSTANDING_STATUSES)
        .order_by("change_id")
        .values_list("pk", "next_attempt_at")
        .first()
    )
    if following:
        pk, next_attempt_at = following
        enqueue([pk], run_after=next_attempt_at if next_attempt_at > timezone.now() else None)


def requeue_outstanding() -> int:
    """Queue a task for every outstanding delivery (duplicates exit at once). The worker runs
    this as it starts, so a delivery whose task was lost with a crashed worker still goes."""
    outstanding = WebhookDelivery.objects.filter(
        status__in=OUTSTANDING_STATUSES, endpoint__is_active=True
    ).values_list("pk", "next_attempt_at")
    count = 0
    for pk, next_attempt_at in outstanding:
        enqueue([pk], run_after=next_attempt_at)
        count += 1
    return count
