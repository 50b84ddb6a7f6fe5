"""Rate limits of the content API: a fixed window per API key, or per address without one.

Counting is in the default cache: Redis when `REDIS_URL` is set, so every web process shares
the counters. Each request is one atomic `INCR` inside a Lua script (the first of a window
sets its expiry), so however many requests arrive at once, exactly `limit` of them in a
window see a count within the limit. The same script reads the request's cached response
(`shared_cache.py`): counting and the cache lookup are one round trip. Without Redis the
counters are per process (development only). While Redis cannot be reached nothing is
counted: requests are let through (`API_RATE_LIMIT_FAILURE_MODE = "open"`, the default) or
refused with 503 (`"closed"`); `cms/cache.py` logs it once per interval.

Limits come from `API_RATE_LIMITS` (one rate per tier: 'anonymous' and each partner tier,
`syndication.enums.RateLimitTier`); `api/checks.py` refuses to start without a valid one.
"""

import functools
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse

from . import shared_cache
from .errors import problem_response

# The tier of requests that send no key: limited per client address.
ANONYMOUS_TIER = "anonymous"

_UNITS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
_RATE = re.compile(
    r"^\s*(?P<count>\d+)\s*/\s*(?P<multiple>\d*)\s*(?P<unit>s|sec|second|m|min|minute|h|hour|d|day)s?\s*$"
)


@functools.lru_cache(maxsize=16)
def parse_rate(rate: str) -> tuple[int, int]:
    """'60/minute', '60/m', '1000/hour', '500/5m' -> (requests, seconds). Remembered: every
    request reads its tier's rate, and the settings hold a handful."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"{rate!r} is not a rate such as '60/minute'.")
    count = int(match["count"])
    seconds = _UNITS[match["unit"][0]] * int(match["multiple"] or 1)
    # django-ratelimit refuses a window of 0 seconds on every request (a 500), and a count
    # of 0 would refuse every request with a 429: neither is a limit anyone means to set.
    if count == 0 or seconds == 0:
        raise ValueError(f"{rate!r} has no requests or no window: both must be above 0.")
    return count, seconds


@dataclass(frozen=True)
class Quota:
    """Where a client stands in its current window, after counting this request."""

    limit: int
    remaining: int
    reset: int  # seconds until the window ends
    window: int  # the window's length in seconds
    exceeded: bool
    # False when the request could not be counted (Redis cannot be reached): it is then let
    # through, or refused with 503, as API_RATE_LIMIT_FAILURE_MODE says.
    counted: bool = True

    def headers(self) -> dict[str, str]:
        """The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers-06 (none for a
        request that was not counted: there is no count to tell)."""
        if not self.counted:
            return {}
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={self.window}",
        }


def hit(
    tier: str, identity: str, *, response_key: shared_cache.ResponseKey | None = None
) -> tuple[Quota, shared_cache.Reading]:
    """Count one request of `identity` (e.g. 'key:12', 'address:192.0.2.1') against its tier,
    and read the cached response at `response_key` in the same round trip."""
    limit, window = parse_rate(settings.API_RATE_LIMITS[tier])
    reading = shared_cache.count_and_read(
        shared_cache.Counter(key=f"ratelimit:{tier}:{identity}", window=window), response_key
    )
    if reading.redis_unreachable:
        refuse = settings.API_RATE_LIMIT_FAILURE_MODE == "closed"
        uncounted = Quota(
            limit=limit,
            remaining=limit,
            reset=max(1, math.ceil(settings.REDIS_RETRY_INTERVAL)),
            window=window,
            exceeded=refuse,
            counted=False,
        )
        return uncounted, reading
    quota = Quota(
        limit=limit,
        remaining=max(0, limit - reading.count),
        reset=max(1, reading.reset),
        window=window,
        exceeded=reading.count > limit,
    )
    return quota, reading


def refusal(quota: Quota) -> HttpResponse:
    """The answer to a request refused by its rate limit: 429, or 503 when it could not be
    counted and the limits fail closed."""
    if not quota.counted:
        return problem_response(
            503,
            "Requests cannot be counted against rate limits now, and are refused until they "
            f"can; try again in {quota.reset} seconds.",
            headers={"Retry-After": str(quota.reset)},
        )
    return problem_response(
        429,
        f"Rate limit of {quota.limit} requests in {quota.window} seconds reached; "
        f"try again in {quota.reset} seconds.",
        headers={"Retry-After": str(quota.reset)},
    )
