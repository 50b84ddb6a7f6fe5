"""Delivery policy: when a delivery may be sent, and what follows each attempt.

Each endpoint hears of changes in sequence order (`ContentChange.id`): a delivery waits while
an earlier one to the same endpoint is outstanding. A delivery is leased to one worker for
an attempt (`claim`). Failures (anything but a 2xx, redirects included; a timeout; a refused
or unresolvable address; an unexpected error while sending) are retried after a random delay
of up to 1 min, 5 min, 30 min, 2 h, 5 h, 10 h and then 14 h ("full jitter", so endpoints that
failed together do not retry together), for at least RETRY_PERIOD (a day) and
RETRY_MIN_ATTEMPTS attempts. Then the delivery is abandoned and the endpoint disabled, since
everything behind it would fail the same way; partners catch up through `/api/v1/sync/`. A
410 Gone disables the endpoint at once.
"""

import datetime
import logging
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .enums import OUTSTANDING_STATUSES, DeliveryStatus
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .webhook_transport import RESPONSE_EXCERPT_LENGTH, Outcome

logger = logging.getLogger(__name__)

# Upper bounds of the delay before each retry; after the last, every retry uses the last.
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
    datetime.timedelta(hours=14),
]
# A delivery is abandoned only when both hold: tried this long since its first attempt, and
# this many times. With full jitter the delays add up to about 16 h on average, so most
# deliveries get one to three retries at the 14 h bound before the day is out.
RETRY_PERIOD = datetime.timedelta(days=1)
RETRY_MIN_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long an attempt in flight holds its delivery: another worker may take it after that
# (the first one died mid-request).
LEASE_MARGIN = datetime.timedelta(seconds=60)


def claim(delivery_id: int) -> WebhookDelivery | str:
    """The delivery, leased to this worker for one attempt, or why it is not sent now."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "gone or being claimed by another worker"
        if delivery.status not in OUTSTANDING_STATUSES:
            return f"nothing to do: {delivery.status}"
        if not delivery.endpoint.is_active:
            abandon_outstanding(delivery.endpoint)
            return "abandoned: the endpoint is disabled"
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return "not due yet"
        earlier = (
            WebhookDelivery.objects.filter(
                endpoint=delivery.endpoint_id,
                status__in=OUTSTANDING_STATUSES,
                change_id__lt=delivery.change_id,
            )
            .order_by("change_id")
            .values_list("pk", flat=True)
            .first()
        )
        if earlier is not None:  # sent once that one ends: it queues the next in line
            return f"waiting for delivery {earlier}"
        delivery.next_attempt_at = (
            now + datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT * 2) + LEASE_MARGIN
        )
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def record_attempt(delivery: WebhookDelivery, outcome: Outcome) -> str:
    """Log the attempt and decide what comes next (sent, retried later, or abandoned), as
    part of the caller's transaction; says what was decided."""
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=now,
        response_status=outcome.status,
        error=outcome.error[:500],
        response_excerpt=outcome.excerpt[:RESPONSE_EXCERPT_LENGTH],
        duration_ms=outcome.duration_ms,
        succeeded=outcome.succeeded,
    )
    delivery.attempt_count += 1
    delivery.first_attempt_at = delivery.first_attempt_at or now
    delivery.last_attempt_at = now
    what = outcome.error or f"HTTP {outcome.status}"
    if outcome.succeeded:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
        result = f"sent: {what}"
    elif outcome.status == 410:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.ABANDONED, None
        disable_endpoint(delivery.endpoint, f"410 Gone on {now:%Y-%m-%d %H:%M} UTC")
        result = "abandoned: 410 Gone, endpoint disabled"
    elif (
        delivery.attempt_count >= RETRY_MIN_ATTEMPTS
        and now - delivery.first_attempt_at >= RETRY_PERIOD
    ):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.ABANDONED, None
        disable_endpoint(
            delivery.endpoint,
            f"No 2xx answer in {delivery.attempt_count} attempts since "
            f"{delivery.first_attempt_at:%Y-%m-%d %H:%M} UTC (last: {what})"[:255],
        )
        result = f"abandoned after {delivery.attempt_count} attempts, endpoint disabled"
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = now + retry_delay(delivery.attempt_count)
        result = f"failed ({what}); next attempt at {delivery.next_attempt_at:%H:%M:%S}"
    delivery.save(
        update_fields=[
            "status",
            "attempt_count",
            "first_attempt_at",
            "last_attempt_at",
            "next_attempt_at",
        ]
    )
    return result


def retry_delay(failures: int) -> datetime.timedelta:
    """Full jitter: a random delay up to the schedule's bound for this many failures."""
    bound = RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1]
    return bound * random.random()  # spreads retries; not a secret, so not `secrets`


def disable_endpoint(endpoint: WebhookEndpoint, reason: str) -> None:
    """Stop sending to the endpoint; what it was still owed is abandoned."""
    endpoint.is_active = False
    endpoint.disabled_reason = reason
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["is_active", "disabled_reason", "disabled_at"])
    abandon_outstanding(endpoint)
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)


def abandon_outstanding(endpoint: WebhookEndpoint) -> None:
    """Give up every delivery the endpoint is still owed."""
    WebhookDelivery.objects.filter(endpoint=endpoint, status__in=OUTSTANDING_STATUSES).update(
        status=DeliveryStatus.ABANDONED, next_attempt_at=None
    )
