"""The API's one round trip to Redis per request: the rate-limit count, the content
generation and the cached response, read together by one Lua script.

A request counts against its client's limit (`ratelimit.py`), then needs the content
generation (`content_models/content_generation.py`) to know under which key its response is
cached (`caching.py`), then the response itself. Asked one by one, that is three or four
round trips; the script does all of it inside Redis, building the response's key from the
generation it has just read. Only a request that finds no generation in Redis (the first after
a renewal, or after the entry's lifetime) asks again, after reading the row.

Without Redis (the per-process memory cache of a laptop), the same answers come from the
cache's ordinary calls, and the generation from the database.

When Redis cannot be reached (`cms/cache.py` says when to try it again), the reading says so:
nothing was counted (rate limits then fail open or closed, `ratelimit.py`), and the response
is served from the database, uncached. The first reading after such a failure ignores the
generation Redis holds: a renewal may have committed meanwhile that Redis was not told of, so
the generation is read from the database and stored again.
"""

import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache, caches
from redis.commands.core import Script

from content_models import content_generation
from content_models.content_generation import Generation

# KEYS[1]: the counter ('' for none), KEYS[2]: the generation. ARGV[1]: the counter's window
# in seconds, ARGV[2] and ARGV[3]: what comes before and after the token in the response's
# key ('' for no response to read).
_COUNT_AND_READ = Script(
    None,
    b"""
local count, ttl = false, false
if KEYS[1] ~= '' then
  count = redis.call('INCR', KEYS[1])
  ttl = redis.call('TTL', KEYS[1])
  if ttl < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
end
local generation = redis.call('GET', KEYS[2])
local response = false
if generation and ARGV[2] ~= '' then
  response = redis.call('GET', ARGV[2] .. string.match(generation, '^[^|]*') .. ARGV[3])
end
return {count, ttl, generation, response}
""",
)


@dataclass(frozen=True)
class Counter:
    """A fixed-window counter: its key (without the cache's prefix) and window in seconds."""

    key: str
    window: int


@dataclass(frozen=True)
class ResponseKey:
    """A cached response's key (without the cache's prefix) is `<before><token><after>`,
    the token being the content generation's."""

    before: str
    after: str

    def for_generation(self, generation: Generation) -> str:
        return f"{self.before}{generation.token.hex}{self.after}"


@dataclass(frozen=True)
class Reading:
    """What one round trip learnt. `generation` is None when Redis held none (nor the
    response, then); `count` and `reset` are None when nothing was counted."""

    count: int | None = None
    reset: int | None = None
    generation: Generation | None = None
    response: Any = None
    response_key: ResponseKey | None = None
    redis_unreachable: bool = False


def count_and_read(counter: Counter | None, response_key: ResponseKey | None) -> Reading:
    """Count one request on `counter` and read the generation and, under it, the response
    at `response_key`: one round trip with Redis."""
    global _failed_since_last_reading
    client = content_generation.redis_client()
    if client is None:
        return _count_and_read_one_by_one(counter, response_key)
    backend = caches["default"]
    unreachable = Reading(response_key=response_key, redis_unreachable=True)
    if not getattr(backend, "reachable", lambda: True)():
        _failed_since_last_reading = True
        return unreachable
    try:
        count, reset, generation, response = _COUNT_AND_READ(
            keys=[backend.make_key(counter.key) if counter else "", content_generation.cache_key()],
            args=[
                counter.window if counter else 0,
                backend.make_key(response_key.before) if response_key else "",
                response_key.after if response_key else "",
            ],
            client=client,
        )
    except content_generation.REDIS_UNREACHABLE as error:
        if hasattr(backend, "unreachable"):
            backend.unreachable(error)
        _failed_since_last_reading = True
        return unreachable
    if _failed_since_last_reading:
        _failed_since_last_reading = False
        generation = response = None
    return Reading(
        count=count if counter else None,
        reset=reset if counter else None,
        generation=Generation.from_cache_value(generation) if generation else None,
        response=backend._cache._serializer.loads(response) if response else None,
        response_key=response_key,
    )


# Whether this process failed to reach Redis since its last reading (see the docstring).
_failed_since_last_reading = False


def _count_and_read_one_by_one(counter, response_key) -> Reading:
    count = reset = None
    if counter is not None:
        count, reset = _count_in_memory(counter)
    return Reading(count=count, reset=reset, response_key=response_key)


def _count_in_memory(counter: Counter) -> tuple[int, int]:
    """A fixed window on the cache's ordinary calls (atomic within one process)."""
    now = time.time()
    window_number = int(now // counter.window)
    key = f"{counter.key}:{window_number}"
    cache.add(key, 0, timeout=counter.window + 1)
    count = cache.incr(key)
    return count, max(1, int((window_number + 1) * counter.window - now))
