"""Publication: the one service that records a change to what the public sees.

Wagtail's publish, unpublish and delete, wherever they come from (the admin, the "Medical
review" workflow, the demo loader, the scheduled-publishing run), a page view restriction
added or removed, a page moved, and a live item reaching its expiry date reach it through the
receivers in `signals.py`, which only call it. For each change it renews the content
generation (`content_generation.py`: every cached API response becomes unreachable) and logs
a `ContentChange` for each item of a collection whose visibility to readers changed, which
partners' sync and webhooks follow, all in the change's own transaction.

The generation is renewed once per transaction, at the first change in it that alters what
the public sees in the database:
- a live item saved in full: Wagtail's publish does that (and so does a direct save of a
  live item, outside the publish flow). A partial save is Wagtail's own bookkeeping (saving a
  draft records its revision on the item; locking an item) and changes nothing public, so
  saving a draft renews nothing;
- an item unpublished or deleted;
- a page view restriction added, changed or removed, or a page moved (a restriction hides
  the pages below it).
Publishing then only logs. Every later change in the same transaction (a bulk publish, the
scheduled-publishing run, the demo loader, a workflow approving several items) renews
nothing: no reader outside the transaction sees any of its changes before it commits, and the
one new token becomes visible to all of them at once, when it does. A later change only moves
the next expiry earlier when the item it publishes expires sooner. A transaction is known by
a marker left in its commit hooks (`transaction.on_commit`): Django drops the hooks of a
transaction, or of a savepoint, that rolls back, so a renewal rolled back is made again by
the next change.

What is logged is what readers can see: an item that becomes visible is `published` (an
article published under a view restriction is not, until the restriction goes), one that
stops being visible `unpublished` (unpublished, expired, put under a view restriction),
a visible one published again `updated`, and a deleted one that partners were told of
`deleted`. An item shows others (its citations, treatment forms, reviewer; an article's
body embeds whole items): when one of those appears, disappears or changes, every public item
that shows it is logged `updated` too (`selectors.items_showing`), so that sync sends it again
and partners' copies never keep a citation or an embedded item readers no longer see.

Each log entry is written after the generation row is locked, and the lock is held until the
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

from . import collections, content_generation, selectors
from .enums import ChangeAction
from .models import ArticlePage, ContentChange

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
        _record(item, republished=True)


@transaction.atomic
def content_unpublished(item) -> None:
    """Wagtail unpublished an item."""
    if _is_content(item):
        _public_content_changed(item)
    if collections.for_model(type(item)):
        _record(item)


@transaction.atomic
def content_deleting(item) -> None:
    """An item is about to be deleted: the items that show it are logged while the rows that
    tie them to it (a side effect's treatment forms) still exist."""
    if collections.for_model(type(item)) and (_was_public(item) or selectors.is_public(item)):
        _record_items_showing(item, by_name=True)


@transaction.atomic
def content_deleted(item) -> None:
    """An item was deleted. A page's deletion deletes its row in each table of its type,
    sending one signal per row: only the page's own type (the specific page) counts."""
    if _is_content(item):
        _public_content_changed(item)
    if not collections.for_model(type(item)):
        return
    # Partners hear of the deletion of what they were ever told of, once.
    content_generation.lock()
    last = _last_change(item)
    if last is not None and last.action != ChangeAction.DELETED:
        _log(item, ChangeAction.DELETED)


@transaction.atomic
def page_visibility_changed(page: Page) -> None:
    """A page view restriction was added, changed or removed on `page`, or `page` was moved:
    the articles at or below it may have appeared or disappeared for readers."""
    _public_content_changed(page)
    for article in ArticlePage.objects.descendant_of(page, inclusive=True):
        _record(article)


def view_restriction_deleted_with_its_page(page_id: int) -> None:
    """A page's deletion took its view restriction with it: the page's own deletion logs
    what partners must hear of."""
    _public_content_changed(Page(pk=page_id))


@transaction.atomic
def content_expired() -> None:
    """Live items have reached their expiry date (the first read after it found out): each
    one readers saw is logged as unpublished now, without waiting for the scheduled
    publishing run (which, when it unpublishes them, then finds nothing more to log)."""
    for collection in collections.COLLECTIONS:
        for item in collection.model.objects.filter(live=True, expire_at__lte=timezone.now()):
            _record(item)


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


def _last_change(item) -> ContentChange | None:
    return (
        ContentChange.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        )
        .order_by("-id")
        .first()
    )


def _was_public(item) -> bool:
    """Whether partners were last told that the item is public."""
    last = _last_change(item)
    return last is not None and last.action in PUBLIC_ACTIONS


def _record(item, *, republished: bool = False, cascade: bool = True) -> ContentChange | None:
    """Log what readers can see of the item now, if partners were told otherwise: published
    (or, `republished`, updated) when it is public, unpublished when it is not. With
    `cascade`, the items that show it are logged as updated when what they show changed.
    Returns the change logged, or None."""
    # First, so the generation row's lock orders this change after every uncommitted one.
    content_generation.lock()
    last = _last_change(item)
    was_public = last is not None and last.action in PUBLIC_ACTIONS
    if selectors.is_public(item):
        if was_public and not republished:
            return None
        action = ChangeAction.UPDATED if was_public else ChangeAction.PUBLISHED
    elif was_public:
        action = ChangeAction.UNPUBLISHED
    else:
        return None  # partners never hear of drafts
    change = _log(item, action)
    if cascade:
        # Items that name it (by slug) change when it appears, disappears or is renamed;
        # items that embed it, with any change of it.
        renamed = last is not None and last.slug != item.slug
        _record_items_showing(item, by_name=action != ChangeAction.UPDATED or renamed)
    return change


def _record_items_showing(item, *, by_name: bool) -> None:
    for other in selectors.items_showing(item, by_name=by_name):
        # Only items partners were told of: one saved live outside Wagtail's publish, never
        # announced, is not announced now either.
        if _was_public(other):
            _record(other, republished=True, cascade=False)


def _log(item, action: ChangeAction) -> ContentChange:
    """Log a change partners must hear about, as part of the caller's transaction (which
    holds the generation row's lock, taken before it read the item's last change)."""
    return ContentChange.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        slug=item.slug,
        language_code=item.locale.language_code,
        action=action,
        occurred_at=timezone.now(),
    )
