"""Choices shared by the syndication models, the settings, the API and webhooks."""

from django.db import models


class RateLimitTier(models.TextChoices):
    """How many requests a partner's keys may make; the numbers are in `API_RATE_LIMITS`."""

    STANDARD = "standard", "Standard"
    PREMIUM = "premium", "Premium"


class ApiKeyStatus(models.TextChoices):
    """Whether a key works: only an active key (not revoked, not past its expiry) does."""

    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class WebhookEvent(models.TextChoices):
    """What a webhook announces: one event per change in the change log (`ChangeAction`)."""

    PUBLISHED = "content.published", "Published (an item became public)"
    UPDATED = "content.updated", "Updated (a public item was published again)"
    UNPUBLISHED = "content.unpublished", "Unpublished"
    DELETED = "content.deleted", "Deleted"


class DeliveryStatus(models.TextChoices):
    """Where a webhook delivery stands. Pending and failed deliveries will be tried again."""

    PENDING = "pending", "Pending"
    FAILED = "failed", "Failed, will retry"
    SUCCEEDED = "succeeded", "Succeeded"
    ABANDONED = "abandoned", "Abandoned"


# Deliveries the worker still owes the endpoint.
OUTSTANDING_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
