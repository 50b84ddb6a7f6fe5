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

A response's key names the generation it was built in, so what is stored under a key does
not change while it is stored: each process holds the response it last read or stored at
each address (`HeldResponses`), and the script does not send it again while it is of the
generation the script finds and Redis still stores it. The generation is still read from
Redis on every request, so a change shows at once in every process; only the bytes of a
response already in hand stay in Redis.
"""

import functools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache, caches
from redis.commands.core import Script

from content_models import content_generation
from content_models.content_generation import Generation

# KEYS[1]: the counter ('' for none), KEYS[2]: the generation. ARGV[1]: the counter's window
# in seconds, ARGV[2] and ARGV[3]: what comes before and after the token in the response's
# key ('' for no response to read), ARGV[4]: the token under which the process holds the
# response already ('' for none): if that is the generation's and Redis stores the response,
# it is not sent but said to be held.
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
local response, held = false, false
if generation and ARGV[2] ~= '' then
  local token = string.match(generation, '^[^|]*')
  local key = ARGV[2] .. token .. ARGV[3]
  if token == ARGV[4] and redis.call('EXISTS', key) == 1 then
    held = 1
  else
    response = redis.call('GET', key)
  end
end
return {count, ttl, generation, response, held}
""",
)
# How many bytes of responses each process holds (`HeldResponses`).
HELD_RESPONSE_BYTES = 32 * 1024 * 1024


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
    stored_key = _with_prefix(response_key) if response_key else None
    held_token, held = _held.get(stored_key) if stored_key else ("", None)
    try:
        count, reset, generation, response, is_held = _COUNT_AND_READ(
            keys=[backend.make_key(counter.key) if counter else "", content_generation.cache_key()],
            args=[
                counter.window if counter else 0,
                stored_key.before if stored_key else "",
                stored_key.after if stored_key else "",
                held_token,
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
        generation = response = is_held = None
    generation = _generation(generation) if generation else None
    if is_held:
        response = held
    elif response:
        size = len(response)
        response = backend._cache._serializer.loads(response)
        _held.keep(stored_key, generation.token.hex, response, size)
    return Reading(
        count=count if counter else None,
        reset=reset if counter else None,
        generation=generation,
        response=response or None,
        response_key=response_key,
    )


@functools.lru_cache(maxsize=8)
def _generation(value: bytes) -> Generation:
    # Every request reads the same few values until the next change: parsed once each.
    return Generation.from_cache_value(value)


def store(key: ResponseKey, generation: Generation, response, *, size: int, timeout: int):
    """Store `response` (of about `size` bytes) at `key` under `generation` for `timeout`
    seconds, and hold it: it replaces what this process held at `key` (a response of an older
    generation, or of a cleared cache)."""
    backend = caches["default"]
    backend.set(key.for_generation(generation), response, timeout=timeout)
    if content_generation.redis_client() is not None:
        _held.keep(_with_prefix(key), generation.token.hex, response, size)


def _with_prefix(key: ResponseKey) -> ResponseKey:
    """`key` as Redis names it: after the cache's prefix (`make_key`)."""
    return ResponseKey(before=caches["default"].make_key(key.before), after=key.after)


class HeldResponses:
    """The response a process last read from Redis or stored there at each key, with the
    token of its generation, up to `max_bytes` (about the size of their bodies): the least
    recently read go first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._responses: OrderedDict[ResponseKey, tuple[str, Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: ResponseKey) -> tuple[str, Any]:
        """The token and the response held at `key`; ('', None) for none."""
        with self._lock:
            held = self._responses.get(key)
            if held is None:
                return "", None
            self._responses.move_to_end(key)
            return held[0], held[1]

    def keep(self, key: ResponseKey, token: str, response, size: int) -> None:
        with self._lock:
            if (replaced := self._responses.pop(key, None)) is not None:
                self._bytes -= replaced[2]
            if size > self.max_bytes:
                return
            self._responses[key] = (token, response, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, _, dropped_size) = self._responses.popitem(last=False)
                self._bytes -= dropped_size


_held = HeldResponses(HELD_RESPONSE_BYTES)


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
