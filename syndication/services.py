"""Writes with rules attached: issuing, revoking and recording the use of API keys."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from . import keys
from .models import ApiKey, Partner

# `last_used_at` tells staff whether a key is still in use, not how much: one write a minute
# per key at most, whatever the traffic.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def issue_secret(api_key: ApiKey) -> str:
    """Give an unsaved key its id and the digest of a new secret; return the full key, which
    exists nowhere else afterwards."""
    key_id = keys.new_key_id()
    while ApiKey.objects.filter(key_id=key_id).exists():  # 36^8 ids: a clash is rare
        key_id = keys.new_key_id()
    secret = keys.new_secret()
    api_key.key_id = key_id
    api_key.secret_hash = keys.hash_secret(secret)
    return keys.full_key(key_id, secret)


@transaction.atomic
def create_api_key(
    *, partner: Partner, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiKey, str]:
    """A new key for `partner`, and the full key to hand over (shown once, never stored)."""
    api_key = ApiKey(partner=partner, name=name, expires_at=expires_at)
    full_key = issue_secret(api_key)
    api_key.save()
    return api_key, full_key


def revoke_api_key(api_key: ApiKey) -> None:
    """Stop the key working at once. Kept, not deleted, so its history stays readable."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])


def record_use(api_key: ApiKey) -> None:
    """Note that the key was used. The cache entry lets one process a minute write the row."""
    seconds = int(LAST_USED_RESOLUTION.total_seconds())
    if cache.add(f"syndication:key-used:{api_key.pk}", 1, timeout=seconds):
        now = timezone.now()
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
