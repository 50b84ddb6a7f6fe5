"""The content generation: the token the API's response cache is keyed by, read and renewed
here only (`ContentGeneration` is its one database row).

A change to what the public sees renews it inside the change's own transaction
(`publication.py`), and so does a deploy's `migrate`. A live item reaching its expiry date
changes what the public sees with no save at all: the scheduled-publishing run unpublishes it
(a change like any other), and until then the first reader after that moment renews the
generation (`renew_if_expired`), so no cached response outlives the item.
"""

import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .generation import ContentGeneration
from .selectors import next_expiry


def current() -> ContentGeneration:
    """The generation as committed now (one query, no lock)."""
    return ContentGeneration.objects.get(pk=1)


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


@transaction.atomic
def renew_if_expired() -> ContentGeneration:
    """Renew the generation if a live item has reached its expiry since it was last renewed,
    and return it. Checked again under the lock: of readers that all found it expired, the
    first renews it and the others, waiting on the lock, find it renewed."""
    generation = lock()
    if generation.has_expired_content():
        _renew(generation)
    return generation


def expect_expiry(expire_at) -> None:
    """An item published in a transaction that already renewed the generation expires at
    `expire_at`: make that the next expiry if it comes sooner (or is the only one)."""
    if expire_at <= timezone.now():
        return
    ContentGeneration.objects.filter(
        Q(next_expiry__isnull=True) | Q(next_expiry__gt=expire_at), pk=1
    ).update(next_expiry=expire_at)


def _renew(generation: ContentGeneration) -> None:
    generation.token = uuid.uuid4()
    generation.changed_at = timezone.now()
    generation.next_expiry = next_expiry()
    generation.save()
