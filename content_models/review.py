"""Whether a medical review stands behind the text the public reads: an item's review status.

A review is real when a medical reviewer who is not a demo placeholder approved the item in
the "Medical review" workflow; the approval records who and when on exactly the revision it
published (`review_task.record_medical_review`), and a publish of any other revision withdraws
it (`MedicallyReviewed.save`). So the review fields of live content are either a real approval
of its text, a demo placeholder's, or empty:

- `reviewed`: a real review, not yet due again;
- `overdue`: a real review whose next review date has passed (the text was checked, but
  not recently enough to rely on);
- `not_reviewed`: no review, a demo reviewer's, or a publish outside the workflow.

Kept apart from the models so that the models, the admin and the API ask the same question
in the same words, for one item (`status_of`) or a queryset (`status_q`).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from .enums import ReviewStatus


def status_of(item, today: datetime.date | None = None) -> ReviewStatus:
    """The review status of one item (its `reviewed_by` loaded, or one query to load it)."""
    if not has_real_review(item):
        return ReviewStatus.NOT_REVIEWED
    today = today or timezone.localdate()
    if item.next_review_due is None or item.next_review_due < today:
        return ReviewStatus.OVERDUE
    return ReviewStatus.REVIEWED


def has_real_review(item) -> bool:
    """Whether a real (not demo) reviewer's review, with its date, is recorded on the item."""
    return (
        item.reviewed_by_id is not None
        and item.last_reviewed_at is not None
        and not item.reviewed_by.is_demo
    )


def real_review_q(prefix: str = "") -> Q:
    """`has_real_review` as a query condition."""
    return Q(
        **{
            f"{prefix}reviewed_by__isnull": False,
            f"{prefix}reviewed_by__is_demo": False,
            f"{prefix}last_reviewed_at__isnull": False,
        }
    )


def status_q(status: str, today: datetime.date | None = None) -> Q:
    """The items whose review status is `status`, as a query condition."""
    today = today or timezone.localdate()
    lapsed = Q(next_review_due__isnull=True) | Q(next_review_due__lt=today)
    if status == ReviewStatus.REVIEWED:
        return real_review_q() & Q(next_review_due__gte=today)
    if status == ReviewStatus.OVERDUE:
        return real_review_q() & lapsed
    if status == ReviewStatus.NOT_REVIEWED:
        return ~real_review_q()
    raise ValueError(f"Unknown review status {status!r}.")


def any_status_q(statuses) -> Q:
    """The items whose review status is one of `statuses`."""
    condition = Q(pk__in=[])
    for status in statuses:
        condition |= status_q(status)
    return condition
