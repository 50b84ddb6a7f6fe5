"""Publication: the one service that records a change to what the public sees.

Wagtail's publish, unpublish and delete, wherever they come from (the admin, the "Medical
review" workflow, the demo loader, the scheduled-publishing run), reach it through the
receivers in `signals.py`, which only call it. For each change it renews the content
generation (`content_generation.py`: every cached API response becomes unreachable) and, for
an item of a collection, logs a `ContentChange` that partners' sync and webhooks follow, all
in the change's own transaction.

The generation is renewed once per transaction, at the first change in it that alters what
the public sees in the database:
- a live item saved in full: Wagtail's publish does that (and so does a direct save of a
  live item, outside the publish flow). A partial save is Wagtail's own bookkeeping (saving a
  draft records its revision on the item; locking an item) and changes nothing public, so
  saving a draft renews nothing;
- an item unpublished or deleted;
- a page view restriction added, changed or removed (it hides pages).
Publishing then only logs. Every later change in the same transaction (a bulk publish, the
scheduled-publishing run, the demo loader, a workflow approving several items) renews
nothing: no reader outside the transaction sees any of its changes before it commits, and the
one new token becomes visible to all of them at once, when it does. A later change only moves
the next expiry earlier when the item it publishes expires sooner. A transaction is known by
a marker left in its commit hooks (`transaction.on_commit`): Django drops the hooks of a
transaction, or of a savepoint, that rolls back, so a renewal rolled back is made again by
the next change.

The log entry is written after the generation row is locked, and the lock is held until the
transaction commits, so changes commit one at a time and a change's id is its place in commit
order (see `ContentChange`).

Layers above this one that must hear of each change as it happens (the API purges its CDN)
register with `on_change`: this layer never imports them.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from wagtail.models import Page

from . import collections, content_generation
from .enums import ChangeAction
from .models import ContentChange

PUBLIC_ACTIONS = (ChangeAction.PUBLISHED, ChangeAction.UPDATED)

_listeners: list[Callable[[Model], None]] = []


def on_change(listener: Callable[[Model], None]) -> None:
    """Have `listener(item)` called for every change to what the public sees, inside the
    change's transaction: with the item saved live (a publish), unpublished or deleted, or
    with the page whose view restriction changed (which hides it and the pages below it;
    only its id is set). A listener that acts outside the database waits for the commit
    (`transaction.on_commit`) and must never raise: a publish does not fail for it."""
    if listener not in _listeners:
        _listeners.append(listener)


def atomic():
    """One transaction for many changes (all or nothing), which renews the content
    generation once, at its first public change. Inside another transaction it is part of
    that one."""
    return transaction.atomic()


def content_saved(item, *, update_fields) -> None:
    """An item was saved: a full save of live content changes what the public sees."""
    if _is_content(item) and item.live and update_fields is None:
        _public_content_changed(item)


@transaction.atomic
def content_published(item) -> None:
    """Wagtail published an item (its save, just before, renewed the generation)."""
    if collections.for_model(type(item)):
        _log(item, ChangeAction.PUBLISHED)


@transaction.atomic
def content_unpublished(item) -> None:
    """Wagtail unpublished an item."""
    if _is_content(item):
        _public_content_changed(item)
    if collections.for_model(type(item)):
        _log(item, ChangeAction.UNPUBLISHED)


@transaction.atomic
def content_deleted(item) -> None:
    """An item was deleted. A page's deletion deletes its row in each table of its type,
    sending one signal per row: only the page's own type (the specific page) counts."""
    if _is_content(item):
        _public_content_changed(item)
    if collections.for_model(type(item)):
        _log(item, ChangeAction.DELETED)


def view_restriction_changed(page_id: int) -> None:
    """A page view restriction was added, changed or removed: it hides pages from the API
    (the page `page_id` and those below it)."""
    _public_content_changed(Page(pk=page_id))


def _is_content(item) -> bool:
    """An item the public reads (`collections.is_public_model`), or a page as its own type
    (not the row of a page's base type, which every page also has)."""
    if isinstance(item, Page):
        return type(item) is item.specific_class
    return collections.is_public_model(type(item))


def _public_content_changed(item: Model) -> None:
    if not _renewed_in_this_transaction():
        content_generation.renew()
        transaction.on_commit(_generation_renewed)
    elif expire_at := getattr(item, "expire_at", None):
        content_generation.expect_expiry(expire_at)
    for listener in _listeners:
        listener(item)


def _generation_renewed() -> None:
    """The marker left in a transaction's commit hooks once it renewed the generation; runs
    (doing nothing) when it commits."""


def _renewed_in_this_transaction() -> bool:
    """Whether the generation was renewed earlier in the transaction this change is part of.

    The transaction is the outermost atomic block. Inside a test's own rolled-back
    transaction (Django's test case marks its blocks `_from_testcase`), it is the outermost
    block the code under test opened, if that is a savepoint; otherwise each change counts
    as its own transaction, as it would in autocommit.
    """
    connection = transaction.get_connection()
    for index, block in enumerate(connection.atomic_blocks):
        if block._from_testcase:
            continue
        savepoint = connection.savepoint_ids[index - 1] if index else None
        if index and savepoint is None:
            return False
        return any(
            hook is _generation_renewed and (savepoint is None or savepoint in savepoints)
            for savepoints, hook, _robust in connection.run_on_commit
        )
    return False


def _log(item, action: ChangeAction) -> ContentChange | None:
    """Log a change partners must hear about, as part of the caller's transaction.

    Publishing an item that is already public is an update. Unpublishing is logged only for
    an item that is public, and deleting only for one that was ever logged: partners never
    hear of drafts. Returns the change logged, or None.
    """
    # First, so the generation row's lock orders this change after every uncommitted one.
    content_generation.lock()
    content_type = ContentType.objects.get_for_model(item)
    last_action = (
        ContentChange.objects.filter(content_type=content_type, object_id=item.pk)
        .order_by("-id")
        .values_list("action", flat=True)
        .first()
    )
    was_public = last_action in PUBLIC_ACTIONS
    if action == ChangeAction.PUBLISHED and was_public:
        action = ChangeAction.UPDATED
    if (action == ChangeAction.UNPUBLISHED and not was_public) or (
        action == ChangeAction.DELETED and last_action in (None, ChangeAction.DELETED)
    ):
        return None
    return ContentChange.objects.create(
        content_type=content_type,
        object_id=item.pk,
        slug=item.slug,
        language_code=item.locale.language_code,
        action=action,
        occurred_at=timezone.now(),
    )
