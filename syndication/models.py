"""Partner clinics that republish the content, their licence terms, their API keys, their
webhook endpoints and the log of webhook deliveries."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from content_models import collections
from content_models.models import ContentChange

from . import keys, signing
from .address_guard import literal_address_refusal
from .enums import ApiKeyStatus, DeliveryStatus, RateLimitTier, WebhookEvent


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
        # The units a partner is licensed for are the collections (`/api/v1/<name>/`).
        unknown = sorted(set(self.collections or ()) - set(collections.NAMES))
        if unknown:
            raise ValidationError({"collections": f"Unknown collections: {', '.join(unknown)}."})


class ApiKeyQuerySet(models.QuerySet):
    def with_status(self) -> "ApiKeyQuerySet":
        """Each key with its `status` (`ApiKeyStatus`): revoked, expired (its expiry date has
        passed) or else active. The one place the rule of which keys work is written: the API's
        key lookup and the admin's list and filter read it."""
        return self.annotate(
            status=models.Case(
                models.When(revoked_at__isnull=False, then=models.Value(ApiKeyStatus.REVOKED)),
                models.When(
                    expires_at__lte=timezone.now(), then=models.Value(ApiKeyStatus.EXPIRED)
                ),
                default=models.Value(ApiKeyStatus.ACTIVE),
                output_field=models.CharField(),
            )
        )


class ApiKey(models.Model):
    """A key a partner's software sends with each request. Only a digest of its secret is kept:
    the full key is shown once, when it is created, and can never be shown again.

    Whether it works is its `status`, which `ApiKey.objects.with_status()` adds.
    """

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

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "API key"

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    @property
    def prefix(self) -> str:
        return keys.display_prefix(self.key_id)


class WebhookEndpoint(models.Model):
    """A URL of a partner's that is told, by a signed POST, when content changes.

    The signing secret is kept in clear: every delivery is signed with it. During a rotation
    the previous secret signs too, until `previous_secret_expires_at`.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(
        "URL",
        max_length=2000,
        help_text="Where the partner receives webhooks, e.g. https://clinic.example/hooks/.",
    )
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(
        default=list,
        help_text="The changes the endpoint is told about. Only content in the partner's "
        "collections is announced.",
    )
    secret = models.CharField(max_length=100, editable=False, default=signing.new_secret)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Disabled endpoints receive nothing. One is disabled automatically when it "
        "answers 410 Gone or fails for more than a day.",
    )
    disabled_reason = models.CharField(max_length=255, blank=True, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("partner__name", "url")
        verbose_name = "webhook endpoint"

    def __str__(self):
        return f"{self.url} ({self.partner})"

    def clean(self):
        errors = {}
        unknown = sorted(set(self.events or ()) - set(WebhookEvent.values))
        if unknown:
            errors["events"] = f"Unknown events: {', '.join(unknown)}."
        elif not self.events:
            errors["events"] = "Choose at least one event."
        if self.url:
            error = url_error(self.url)
            if error:
                errors["url"] = error
        if errors:
            raise ValidationError(errors)
        if self.is_active:  # re-enabled by an editor: the old reason no longer applies
            self.disabled_reason, self.disabled_at = "", None

    def secrets_in_use(self, now=None) -> list[str]:
        """The current secret, then the previous one while its rotation period lasts."""
        now = now or timezone.now()
        in_use = [self.secret]
        if self.previous_secret and (
            self.previous_secret_expires_at and self.previous_secret_expires_at > now
        ):
            in_use.append(self.previous_secret)
        return in_use

    @property
    def status(self) -> str:
        return "Active" if self.is_active else f"Disabled: {self.disabled_reason or 'by hand'}"


def url_error(url: str) -> str | None:
    """Why webhooks cannot be sent to `url`, in words for the admin form; None if they can."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        return "The URL must start with https:// (webhooks carry signed messages)."
    if not parts.hostname:
        return "The URL has no host name."
    try:
        # `port` raises ValueError outside 0-65535, which the URL field lets through; 0 is
        # no port anything listens on.
        usable_port = parts.port != 0
    except ValueError:
        usable_port = False
    if not usable_port:
        return "The port must be a number from 1 to 65535."
    if parts.username or parts.password:
        return "Put no user name or password in the URL: each request is signed instead."
    reason = literal_address_refusal(parts.hostname)
    if reason:
        return f"Webhooks are sent only to public internet addresses: {reason}."
    return None


class WebhookDelivery(models.Model):
    """One change announced to one endpoint: the message, signed afresh on each attempt.

    The body is stored as sent, so every retry carries the same bytes and the same
    `webhook-id`. The worker's task carries only this row's id; everything it needs is here,
    so deliveries survive a restart of the worker.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    change = models.ForeignKey(ContentChange, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.TextField(help_text="The JSON body, exactly as it is sent.")
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveIntegerField(
        default=0, help_text="Attempts since it was queued (or redelivered)."
    )
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the worker may next try; also a lease while an attempt is in flight. Null once
    # nothing more will be tried.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [  # noqa: RUF012 - Django reads Meta attributes once
            models.UniqueConstraint(
                fields=["endpoint", "change"], name="one_delivery_per_endpoint_and_change"
            )
        ]
        indexes = [  # noqa: RUF012
            models.Index(fields=["endpoint", "status", "change"], name="delivery_queue")
        ]

    def __str__(self):
        return f"{self.event} #{self.change_id} to {self.endpoint.url}"

    @property
    def sequence(self) -> int:
        return self.change_id


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, what came back (or what went wrong), how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField()
    succeeded = models.BooleanField()

    class Meta:
        ordering = ("-attempted_at", "-id")
        verbose_name = "webhook attempt"

    def __str__(self):
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S} {self.outcome}"

    @property
    def outcome(self) -> str:
        if self.response_status is not None:
            return f"HTTP {self.response_status}"
        return self.error
