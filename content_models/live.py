"""What the public may see of an item: published, and not past its expiry date.

Apart from the selectors so that models, blocks and templates can ask it too (selectors
import the models).
"""

import datetime

from django.db.models import Q
from django.utils import timezone


def live_q(prefix: str = "") -> Q:
    """Published and not past its expiry, even if the expiry job has not run yet."""
    return Q(**{f"{prefix}live": True}) & (
        Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": timezone.now()})
    )


def is_live(item, now: datetime.datetime | None = None) -> bool:
    """`live_q` for an item already loaded, e.g. a reviewer reached through a foreign key;
    at `now` (by default the present), which a caller checking many items reads once."""
    if not item.live:
        return False
    return item.expire_at is None or item.expire_at > (now or timezone.now())
