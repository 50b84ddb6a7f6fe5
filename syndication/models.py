"""Partner clinics that republish the content, their licence terms and their API keys.

Webhook endpoints and the delivery log (a later piece of work) hang off `Partner` by a
foreign key, as the API keys do.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from . import keys
from .enums import RateLimitTier


def collection_names() -> list[str]:
    """The API's collections (`/api/v1/<name>/`), the units a partner is licensed for."""
    from api.v1.router import COLLECTIONS  # the API imports this app: import when needed

    return list(COLLECTIONS)


class Partner(models.Model):
    """A clinic (or other organisation) licensed to republish the content through the API."""

    name = models.CharField(max_length=200, unique=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(
        blank=True, help_text="Who we tell about changes to the API or to their licence."
    )
    website = models.URLField(blank=True, help_text="Where the partner shows our content.")
    attribution_text = models.TextField(
        blank=True,
        help_text=(
            "The credit line the partner must show with every item, sent to them with each "
            "item. Leave blank to use the standard text."
        ),
    )
    link_back_required = models.BooleanField(
        default=True,
        help_text="The partner must link each item to its page on our site.",
    )
    allowed_modifications = models.TextField(
        blank=True,
        help_text=(
            "What the partner may change when republishing (e.g. 'May shorten summaries; may "
            "not change clinical statements'). Blank: nothing may be changed."
        ),
    )
    collections = models.JSONField(
        default=list,
        blank=True,
        help_text="The kinds of content the partner may use. Their keys see nothing else.",
    )
    rate_limit_tier = models.CharField(
        max_length=20,
        choices=RateLimitTier.choices,
        default=RateLimitTier.STANDARD,
        help_text="How many requests each of the partner's keys may make (set per tier by the "
        "server's API_RATE_LIMITS).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Part of the response cache key: a change to the terms shows in the next response.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name

    def clean(self):
        unknown = sorted(set(self.collections or ()) - set(collection_names()))
        if unknown:
            raise ValidationError({"collections": f"Unknown collections: {', '.join(unknown)}."})


class ApiKey(models.Model):
    """A key a partner's software sends with each request. Only a digest of its secret is kept:
    the full key is shown once, when it is created, and can never be shown again."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(
        max_length=100,
        help_text="What the key is for, so you can tell keys apart, e.g. 'Clinic website'.",
    )
    key_id = models.CharField(max_length=keys.ID_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After this moment the key stops working. Leave blank for no end date.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Recorded at most once a minute (see services.record_use), so it is approximate.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "API key"

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    @property
    def prefix(self) -> str:
        return keys.display_prefix(self.key_id)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "Revoked"
        if self.is_expired:
            return "Expired"
        return "Active"
