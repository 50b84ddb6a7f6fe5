"""What editors do to webhooks in the admin: rotate an endpoint's secret, redeliver."""

import datetime

from django.conf import settings
from django.utils import timezone

from . import signing
from .enums import DeliveryStatus
from .models import WebhookDelivery, WebhookEndpoint
from .tasks import enqueue


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
