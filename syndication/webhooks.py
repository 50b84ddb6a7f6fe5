"""Webhooks: which endpoints hear of a change, and sending them the news, with retries.

The flow:
1. A change to public content is logged (`ContentChange`) inside the publish's transaction;
   `queue_deliveries` (a `post_save` receiver in `signals.py`) adds one `WebhookDelivery` per
   endpoint that wants the event and whose partner may use the collection, and queues the
   worker's tasks, all in the same transaction: a rolled-back publish leaves no delivery and
   no task, and a committed one cannot leave a delivery without its task.
2. The worker (`manage.py webhook_worker`) runs `tasks.deliver_webhook(delivery_id)`, which
   calls `attempt_delivery`: it claims the delivery if it is due, signs and POSTs the stored
   body, logs the attempt and decides what comes next. A task that finds nothing due exits,
   so a duplicate task is harmless and queueing one more is always safe.
3. Each endpoint hears of changes in sequence order (`ContentChange.id`): a delivery waits
   while an earlier one to the same endpoint is outstanding, and each delivery that ends
   (sent, or abandoned) queues the next. A receiver that is down for a while therefore gets
   everything, in order, once it is back.

Failures (anything but a 2xx, redirects included; a timeout; a refused or unresolvable
address; an unexpected error while sending, logged with its traceback) are retried after a
random delay of up to 1 min, 5 min, 30 min, 2 h, 5 h, 10 h and then 14 h ("full jitter", so
endpoints that failed together do not retry together), for at least RETRY_PERIOD (a day)
and RETRY_MIN_ATTEMPTS attempts. Then the delivery is abandoned and the endpoint disabled,
since everything behind it would fail the same way; partners catch up through
`/api/v1/sync/`. A 410 Gone disables the endpoint at once.
"""

import datetime
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from content_models import collections
from content_models.collections import Collection
from content_models.models import ContentChange

from . import address_guard, signing
from .enums import OUTSTANDING_STATUSES, DeliveryStatus
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

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
RESPONSE_EXCERPT_LENGTH = 500
USER_AGENT = "ketamine-content-webhooks/1"


# 1. Queueing


def payload_for(change: ContentChange, collection: Collection) -> dict:
    """The thin payload: what changed and where to fetch it; the sync brings the content."""
    occurred_at = change.occurred_at.isoformat()
    return {
        "type": f"content.{change.action}",
        "timestamp": occurred_at,
        "data": {
            "collection": collection.name,
            "type": collection.type_name,
            "id": change.object_id,
            "slug": change.slug,
            "locale": change.language_code,
            "url": settings.API_BASE_URL + collection.api_path(change.slug, change.language_code),
            "occurred_at": occurred_at,
            "sequence": change.id,
        },
    }


def queue_deliveries(change: ContentChange) -> list[WebhookDelivery]:
    """A delivery for each active endpoint that wants this change, and the worker's task for
    each, as part of the caller's transaction."""
    collection = collections.for_model(change.content_type.model_class())
    if collection is None:
        return []
    event = f"content.{change.action}"
    # Filtered here, not with JSON lookups, so it also works on the SQLite of `make run`.
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).select_related("partner")
        if event in endpoint.events and collection.name in endpoint.partner.collections
    ]
    if not endpoints:
        return []
    body = json.dumps(payload_for(change, collection), separators=(",", ":"))
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            change=change,
            message_id=f"msg_{uuid.uuid4().hex}",
            event=event,
            payload=body,
            next_attempt_at=change.occurred_at,
        )
        for endpoint in endpoints
    )
    enqueue([delivery.pk for delivery in deliveries])
    return deliveries


def enqueue(delivery_ids: list[int], run_after: datetime.datetime | None = None) -> None:
    """Ask the worker to look at these deliveries (at `run_after`, or as soon as it can).

    Called inside the transaction that makes the deliveries due. django-tasks-db's backend
    stores each task as a row on the default database, through the caller's connection and
    with no on-commit step of its own, so the tasks commit or roll back with the deliveries.
    Queued on commit instead, a process that died just after the commit would leave a
    delivery with no task, and every later delivery to its endpoint waiting behind it until
    the worker restarted (`requeue_outstanding`).
    """
    from .tasks import deliver_webhook

    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    for delivery_id in delivery_ids:
        task.enqueue(delivery_id)


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


# 2. Sending


@dataclass
class Outcome:
    status: int | None = None
    error: str = ""
    excerpt: str = ""
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def attempt_delivery(delivery_id: int) -> str:
    """Send the delivery if it is due and first in its endpoint's queue; says what happened."""
    delivery = _claim(delivery_id)
    if isinstance(delivery, str):
        return delivery
    outcome = post(delivery)
    return _record(delivery, outcome)


def _claim(delivery_id: int) -> WebhookDelivery | str:
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
            _abandon_outstanding(delivery.endpoint)
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


def post(delivery: WebhookDelivery) -> Outcome:
    """POST the delivery's body, signed, to a checked address of its endpoint's host.

    Redirects are not followed (a 3xx is a failure): the endpoint's URL is the one the
    partner registered and we checked, and a redirect could point anywhere.
    """
    endpoint = delivery.endpoint
    body = delivery.payload.encode()
    started = time.monotonic()
    outcome = Outcome()
    try:
        address = address_guard.resolve(endpoint.url)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            **signing.signed_headers(
                endpoint.secrets_in_use(), delivery.message_id, int(time.time()), body
            ),
        }
        outcome.status, outcome.excerpt = _post_to(address, endpoint.url, headers, body)
    except address_guard.AddressNotAllowed as error:
        outcome.error = str(error)
    except urllib3.exceptions.NewConnectionError as error:  # a subclass of TimeoutError
        outcome.error = _describe(error)
    except urllib3.exceptions.TimeoutError:
        outcome.error = f"No answer within {settings.WEBHOOK_TIMEOUT:g} s (timeout)."
    except (urllib3.exceptions.HTTPError, OSError) as error:
        outcome.error = _describe(error)
    except Exception as error:
        # A defect, ours or in stored data (a URL saved before the form refused it), rather
        # than the partner's answer. Still a failed attempt: raised, it would leave the
        # delivery leased and unlogged, and every later delivery to the endpoint waiting.
        logger.exception("Webhook delivery %s: unexpected error while sending", delivery.pk)
        outcome.error = _describe(error)
    outcome.duration_ms = round((time.monotonic() - started) * 1000)
    return outcome


def _post_to(address: str, url: str, headers: dict, body: bytes) -> tuple[int, str]:
    """POST to `address`, the resolved and checked address of `url`'s host: the connection
    goes there, while `Host`, TLS's server name and certificate check use the host name."""
    parts = urlsplit(url)
    host = parts.hostname
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT, read=settings.WEBHOOK_TIMEOUT)
    options = {"port": port, "timeout": timeout, "retries": False, "maxsize": 1}
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, **options)
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    if ":" in host:  # an IPv6 literal
        host_header = f"[{host}]" if parts.port is None else f"[{host}]:{parts.port}"
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        excerpt = response.read(RESPONSE_EXCERPT_LENGTH, decode_content=False)
        return response.status, excerpt.decode("utf-8", errors="replace")
    finally:
        pool.close()


def _describe(error: Exception) -> str:
    """An error in a line, for the attempt log."""
    reason = getattr(error, "reason", None) or error
    text = str(reason)
    if "Connection refused" in text:
        return "Connection refused."
    return f"{type(reason).__name__}: {text}"[:500]


def _record(delivery: WebhookDelivery, outcome: Outcome) -> str:
    """Log the attempt and decide what comes next, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
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


def retry_delay(failures: int) -> datetime.timedelta:
    """Full jitter: a random delay up to the schedule's bound for this many failures."""
    bound = RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1]
    return bound * random.random()  # spreads retries; not a secret, so not `secrets`


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


# 3. What editors do in the admin, and what the worker does to an endpoint


def disable_endpoint(endpoint: WebhookEndpoint, reason: str) -> None:
    """Stop sending to the endpoint; what it was still owed is abandoned."""
    endpoint.is_active = False
    endpoint.disabled_reason = reason
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["is_active", "disabled_reason", "disabled_at"])
    _abandon_outstanding(endpoint)
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)


def _abandon_outstanding(endpoint: WebhookEndpoint) -> None:
    WebhookDelivery.objects.filter(endpoint=endpoint, status__in=OUTSTANDING_STATUSES).update(
        status=DeliveryStatus.ABANDONED, next_attempt_at=None
    )


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new signing secret; the old one keeps signing too for WEBHOOK_SECRET_ROTATION_HOURS,
    so the partner can switch without missing a webhook. Returns the new secret."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + datetime.timedelta(
        hours=settings.WEBHOOK_SECRET_ROTATION_HOURS
    )
    endpoint.secret = signing.new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return endpoint.secret


class CannotRedeliver(Exception):
    """The message says why, for the editor."""


def redeliver(delivery: WebhookDelivery) -> None:
    """Send the delivery again, now (same message id and body), with a fresh set of retries."""
    if not delivery.endpoint.is_active:
        raise CannotRedeliver(
            "The endpoint is disabled. Re-enable it (edit it and tick 'Active') first."
        )
    delivery.status = DeliveryStatus.PENDING
    delivery.attempt_count = 0
    delivery.first_attempt_at = None
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempt_count", "first_attempt_at", "next_attempt_at"])
    enqueue([delivery.pk])
