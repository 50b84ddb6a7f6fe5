"""System checks: every rate-limit tier has a valid limit in settings."""

from django.conf import settings
from django.core import checks

from syndication.enums import RateLimitTier

from .ratelimit import ANONYMOUS_TIER, parse_rate


@checks.register()
def rate_limits_are_configured(app_configs, **kwargs):
    limits = getattr(settings, "API_RATE_LIMITS", {})
    errors = []
    for tier in (ANONYMOUS_TIER, *RateLimitTier.values):
        try:
            parse_rate(limits[tier])
        except (KeyError, ValueError) as error:
            errors.append(
                checks.Error(
                    f"API_RATE_LIMITS[{tier!r}] is missing or invalid: {error}",
                    hint="Give each tier a rate such as '60/minute' or '1000/hour'.",
                    id="api.E001",
                )
            )
    return errors
