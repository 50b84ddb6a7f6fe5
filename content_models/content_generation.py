"""The content generation: the token the API's response cache is keyed by, read and renewed
here only (`ContentGeneration` is its one database row).

A change to what the public sees renews it inside the change's own transaction
(`publication.py`), and so does a deploy's `migrate`. A live item reaching its expiry date
changes what the public sees with no save at all: the first reader after that moment renews the
generation (`renew_if_expired`), so no cached response outlives the item, and has the expiry
logged for partners (`content_expired`); the scheduled-publishing run then unpublishes it. A
live item's medical review falling overdue (the day after its next review was due) renews the
generation the same way, since its `review_status` changes then.

Readers learn the generation without a query: it is held in Redis (when the cache is Redis),
where a renewal puts it the moment its transaction commits (`transaction.on_commit`), before
the publish that caused it returns. Until then, from the renewal on, the entry is deleted, so
readers inside the renewing transaction (a test's) read the row. A reader that finds no entry
reads the row and stores it. Every store keeps the newest value only (`changed_at` strictly
increases with each renewal, under the row's lock), so a reader that read the row before a
commit can never put back the generation the commit replaced. If Redis cannot be reached,
the row is read; if a committed renewal could not be stored, this process stores it at its
next read, and the entry's lifetime (`CONTENT_GENERATION_CACHE_SECONDS`) bounds what remains:
a renewal committed while this process could not reach a Redis that others could.
"""

import datetime
import logging
import uuid
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from redis.commands.core import Script
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .generation import ContentGeneration
from .selectors import next_unsaved_change

logger = logging.getLogger(__name__)

# What an unreachable, stopped or overloaded Redis raises; anything else is a bug, and raises.
REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
CACHE_KEY = "content:generation"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_ONE_MICROSECOND = datetime.timedelta(microseconds=1)

# Store ARGV[1] unless the entry holds a generation as new or newer (the second field of the
# value is `changed_at` in microseconds).
_STORE_IF_NEWER = Script(
    None,
    b"""
local held = redis.call('GET', KEYS[1])
if held then
  local changed = tonumber(string.match(held, '^[^|]*|([^|]*)'))
  if changed and changed >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
""",
)


@dataclass(frozen=True)
class Generation:
    """The content generation as readers need it."""

    token: uuid.UUID
    changed_at: datetime.datetime
    next_expiry: datetime.datetime | None

    def has_expired_content(self) -> bool:
        """Whether a live item has reached its expiry since the token was last renewed."""
        return self.next_expiry is not None and self.next_expiry <= timezone.now()

    def cache_value(self) -> str:
        """'<token hex>|<changed_at µs>|<next_expiry µs or empty>': the token first, so that
        a Lua script can build a response's cache key from it."""
        expiry = _microseconds(self.next_expiry) if self.next_expiry else ""
        return f"{self.token.hex}|{_microseconds(self.changed_at)}|{expiry}"

    @classmethod
    def from_cache_value(cls, value: bytes | str) -> "Generation":
        text = value.decode() if isinstance(value, bytes) else value
        token, changed_at, expiry = text.split("|")
        return cls(
            token=uuid.UUID(hex=token),
            changed_at=_from_microseconds(int(changed_at)),
            next_expiry=_from_microseconds(int(expiry)) if expiry else None,
        )

    @classmethod
    def from_row(cls, row: ContentGeneration) -> "Generation":
        return cls(token=row.token, changed_at=row.changed_at, next_expiry=row.next_expiry)


def redis_client():
    """The Redis client of the default cache, or None when the cache is not Redis."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)


def cache_key() -> str:
    """The generation's key in Redis, as the default cache names keys (prefix, version)."""
    return caches["default"].make_key(CACHE_KEY)


def current(*, from_cache: bool = True) -> Generation:
    """The generation as committed now: from Redis without a query when it holds it (and
    `from_cache`), else from the row (one query), which is then stored in Redis."""
    client = redis_client() if from_cache else None
    if client is None:
        return from_database()
    try:
        _store_unannounced(client)
        value = client.get(cache_key())
        if value is not None:
            return Generation.from_cache_value(value)
        generation = from_database()
        _store(client, generation)
        return generation
    except REDIS_UNREACHABLE:
        return from_database()


def from_database() -> Generation:
    """The generation as the row holds it (one query)."""
    return Generation.from_row(ContentGeneration.objects.get(pk=1))


def store(generation: Generation) -> None:
    """Hold `generation` in Redis unless a newer one is held (a reader found no entry and
    read the row); silently nothing if Redis cannot be reached."""
    client = redis_client()
    if client is not None:
        with suppress(*REDIS_UNREACHABLE):
            _store_unannounced(client)
            _store(client, generation)


def lock() -> ContentGeneration:
    """The generation row, locked until the caller's transaction ends. Every change takes
    this lock before it is logged, which is what puts the change log in commit order."""
    return ContentGeneration.objects.select_for_update().get(pk=1)


@transaction.atomic
def renew() -> None:
    """Give the content a new generation, as part of the caller's transaction.

    The row is locked before the next expiry is read, so the read sees every change that
    committed before this one, and no concurrent change can overwrite it with an older value.
    """
    _renew(lock())


# Sent, inside the transaction that renews the generation, when the moment it recorded has come
# (an expiry date, or a review falling overdue): the publication service logs each item that
# expired for partners (a receiver in `signals.py`).
content_expired = Signal()


@transaction.atomic
def renew_if_expired() -> Generation:
    """Renew the generation if a live item has reached its expiry since it was last renewed,
    and return it. Checked again under the lock: of readers that all found it expired, the
    first renews it (and has the expiry logged) and the others, waiting on the lock, find it
    renewed."""
    row = lock()
    if row.has_expired_content():
        content_expired.send(sender=ContentGeneration)
        _renew(row)
    return Generation.from_row(row)


def expect_expiry(expire_at) -> None:
    """An item published in a transaction that already renewed the generation expires at
    `expire_at`: make that the next expiry if it comes sooner (or is the only one)."""
    if expire_at <= timezone.now():
        return
    updated = ContentGeneration.objects.filter(
        Q(next_expiry__isnull=True) | Q(next_expiry__gt=expire_at), pk=1
    ).update(next_expiry=expire_at, changed_at=F("changed_at") + _ONE_MICROSECOND)
    if updated:
        # The same token, a moment later (so that Redis keeps this value over the one it
        # replaces): readers read the row until the commit announces the new expiry.
        _forget()
        transaction.on_commit(lambda: _announce(from_database()))


def _renew(row: ContentGeneration) -> None:
    row.token = uuid.uuid4()
    # Strictly after the generation it replaces, whatever the clocks of the machines that
    # renewed them say: Redis keeps the newest by this time (`_STORE_IF_NEWER`).
    row.changed_at = max(timezone.now(), row.changed_at + _ONE_MICROSECOND)
    # A review falling overdue changes what the public sees (`review_status`) like an expiry.
    row.next_expiry = next_unsaved_change()
    row.save()
    renewed = Generation.from_row(row)
    _forget()
    transaction.on_commit(lambda: _announce(renewed))


# A renewal committed in this process that Redis could not be told of: stored at the next read.
_unannounced: Generation | None = None


def _announce(generation: Generation) -> None:
    """Hold a committed renewal in Redis, or keep it to hold at the next read."""
    global _unannounced
    client = redis_client()
    if client is None:
        return
    try:
        _store(client, generation)
        _unannounced = None
    except REDIS_UNREACHABLE:
        logger.warning("Redis could not be told of a new content generation; retrying later.")
        _unannounced = generation


def _store_unannounced(client) -> None:
    global _unannounced
    if _unannounced is not None:
        _store(client, _unannounced)
        _unannounced = None


def _forget() -> None:
    """Delete the entry held in Redis, so readers read the row until the commit announces."""
    client = redis_client()
    if client is not None:
        with suppress(*REDIS_UNREACHABLE):
            client.delete(cache_key())


def _store(client, generation: Generation) -> None:
    _STORE_IF_NEWER(
        keys=[cache_key()],
        args=[
            generation.cache_value(),
            _microseconds(generation.changed_at),
            settings.CONTENT_GENERATION_CACHE_SECONDS,
        ],
        client=client,
    )


def _microseconds(moment: datetime.datetime) -> int:
    return (moment - _EPOCH) // _ONE_MICROSECOND


def _from_microseconds(value: int) -> datetime.datetime:
    return _EPOCH + value * _ONE_MICROSECOND
