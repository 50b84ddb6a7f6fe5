"""The project's cache: Redis, as a cache and a counter that the project can do without.

Django's Redis cache raises when Redis cannot be reached, and every request that reads the
cache (the API's response cache, Wagtail's site root paths) would answer 500. Here an
unreachable Redis is a miss: reads find nothing and writes are dropped, so requests are served
from the database. After a failure Redis is left alone for `REDIS_RETRY_INTERVAL` seconds (a
dead Redis then costs requests nothing, not a connect timeout each), and then tried again:
service resumes by itself when Redis returns. A warning is logged once per
`REDIS_WARNING_INTERVAL` while it lasts, not once per request.

The API's own round trip (`api/shared_cache.py`) and the content generation
(`content_models/content_generation.py`) use the client directly: they ask `reachable()`
first and report a failure with `unreachable()`.
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What an unreachable, stopped or overloaded Redis raises; anything else is a bug, and raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, which builds one `redis.Redis` per connection pool and
    reuses it, where Django builds a new one for every call: building one (it fills its
    table of reply parsers) takes longer than a round trip with Redis. A client is only a
    front to its pool, safe to share between calls and threads."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, for which an unreachable Redis is a miss (module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._skip_until = 0.0
        self._warned_at: float | None = None

    def reachable(self) -> bool:
        """False for a while after a failure to reach Redis: do not try it now."""
        return time.monotonic() >= self._skip_until

    def unreachable(self, error: Exception) -> None:
        """Redis could not be reached: leave it alone for a while, and say so (once per
        interval)."""
        now = time.monotonic()
        self._skip_until = now + settings.REDIS_RETRY_INTERVAL
        if self._warned_at is None or now - self._warned_at >= settings.REDIS_WARNING_INTERVAL:
            self._warned_at = now
            logger.warning(
                "Redis cannot be reached (%s): responses are served from the database, "
                "uncached, and rate limits are %s (API_RATE_LIMIT_FAILURE_MODE=%s) until it "
                "answers again. Tried again every %s s; this is logged every %s s.",
                error,
                "not enforced" if settings.API_RATE_LIMIT_FAILURE_MODE == "open" else "refusing",
                settings.API_RATE_LIMIT_FAILURE_MODE,
                settings.REDIS_RETRY_INTERVAL,
                settings.REDIS_WARNING_INTERVAL,
            )

    def _or(self, default, method, *args, **kwargs):
        if not self.reachable():
            return default
        try:
            return method(*args, **kwargs)
        except UNREACHABLE as error:
            self.unreachable(error)
            return default

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._or({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().add, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._or(None, super().delete_many, keys, version)
