"""Choices shared by the partner model, the settings and the API."""

from django.db import models


class RateLimitTier(models.TextChoices):
    """How many requests a partner's keys may make; the numbers are in `API_RATE_LIMITS`."""

    STANDARD = "standard", "Standard"
    PREMIUM = "premium", "Premium"


# The tier of requests that send no key: limited per client address.
ANONYMOUS_TIER = "anonymous"
