"""What the public may see of an item: published, and not past its expiry date.

Apart from the selectors so that models, blocks and templates can ask it too (selectors
import the models).
"""

import datetime

from django.db.models import DateField, DateTimeField, Q
from django.utils import timezone

from .reused_sql import RunValue


class TimeOfQuery(RunValue):
    """The present as a query runs, rather than as it is built or compiled: a query built
    once (`selectors.live_items`, built once per process) or even compiled once
    (`reused_sql.ReusedSQL`) and run many times is asked what is live at each run."""

    output_field = DateTimeField()

    def value_at_run(self, connection, values):
        return connection.ops.adapt_datetimefield_value(timezone.now())


class DateOfQuery(RunValue):
    """Today (in the site's time zone) as a query runs: `TimeOfQuery` for date columns, such
    as the date a review is next due."""

    output_field = DateField()

    def value_at_run(self, connection, values):
        return connection.ops.adapt_datefield_value(timezone.localdate())


def live_q(prefix: str = "", now: datetime.datetime | TimeOfQuery | None = None) -> Q:
    """Published and not past its expiry (at `now`, by default the present), even if the
    expiry job has not run yet."""
    return Q(**{f"{prefix}live": True}) & (
        Q(**{f"{prefix}expire_at__isnull": True})
        | Q(**{f"{prefix}expire_at__gt": timezone.now() if now is None else now})
    )


def is_live(item, now: datetime.datetime | None = None) -> bool:
    """`live_q` for an item already loaded, e.g. a reviewer reached through a foreign key;
    at `now` (by default the present), which a caller checking many items reads once."""
    if not item.live:
        return False
    return item.expire_at is None or item.expire_at > (now or timezone.now())
