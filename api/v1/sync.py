"""Incremental sync for mirrors: all live content first, then only what changed since.

A client starts without a cursor and follows `next_cursor` until `has_more` is false; it
keeps the last cursor and calls with it later to receive what changed in between. Every
record is the item's state now: an upsert with its full representation, or a deletion (the
item was unpublished, deleted, or its collection left the caller's scope). Applying the
records in order leaves the client with exactly the live content it may use.

The cursor is signed, so a client cannot forge one. It holds:
- `position`: the last change of the change log the client has seen;
- `held`: the collections the client holds;
- `queue`: collections still to send in full ("snapshot") or to withdraw ("withdraw"), each
  with the last id sent.
A collection that enters the caller's scope is sent in full; one that leaves it is withdrawn
item by item. The first call is the case where every collection has just entered.
"""

import re
from dataclasses import asdict, dataclass, field

from django.core import signing
from rest_framework.exceptions import ValidationError

from api.v1.serializers.base import RichTextBatch
from content_models import collections
from content_models.collections import Collection
from content_models.selectors import (
    changes_between,
    ids_ever_public,
    latest_change_id,
    live_items,
)

CURSOR_SALT = "api.v1.sync"
# The most records a page holds (`?limit=`).
MAX_RECORDS = 100
SNAPSHOT, WITHDRAW = "snapshot", "withdraw"
# What a cursor looks like (`django.core.signing.dumps`, compressed): an optional "." (the
# payload is compressed), then the payload, the time it was signed and the signature, each in
# URL-safe base64 and separated by ":". The OpenAPI document states it; only a cursor this API
# signed is accepted, whatever its shape.
CURSOR_PATTERN = r"^\.?[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$"
_CURSOR = re.compile(CURSOR_PATTERN)
NOT_OUR_CURSOR = "Not a cursor this API issued. Start again without a cursor."


@dataclass
class SyncState:
    locale: str
    partner: int | None  # whose scope the client holds; a cursor serves no one else
    position: int | None = None  # None until the first page: then the newest change
    held: list[str] = field(default_factory=list)
    queue: list[list] = field(default_factory=list)  # [mode, collection, last id sent]

    def to_cursor(self) -> str:
        return signing.dumps(asdict(self), salt=CURSOR_SALT, compress=True)

    @classmethod
    def from_cursor(cls, cursor: str, *, partner: int | None) -> "SyncState":
        try:
            if not _CURSOR.fullmatch(cursor):
                raise signing.BadSignature
            state = cls(**signing.loads(cursor, salt=CURSOR_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError({"cursor": [NOT_OUR_CURSOR]}) from None
        if state.partner != partner:
            raise ValidationError(
                {"cursor": ["This cursor was issued to another client. Use your own."]}
            )
        return state


def sync_page(state: SyncState, *, scope: list[str], limit: int, request) -> dict:
    """The next page of records for a client in `state`, which it updates. `scope` names the
    collections the caller may use."""
    # What every item of the page is serialized with; their rich text is expanded at the end.
    rich_text = RichTextBatch()
    context = {"request": request, "expand": (), "rich_text": rich_text}
    head = latest_change_id()
    if state.position is None:
        state.position = head
    for collection in [name for name in state.held if name not in scope]:
        state.held.remove(collection)
        state.queue.append([WITHDRAW, collection, 0])
    for collection in [name for name in scope if name not in state.held]:
        state.held.append(collection)
        state.queue.append([SNAPSHOT, collection, 0])

    records = []
    while state.queue and len(records) < limit:
        mode, collection, last_id = state.queue[0]
        room = limit - len(records)
        model = collections.by_name(collection).model
        if mode == SNAPSHOT:
            ids = list(
                live_items(model, locale=state.locale, related_depth=None)
                .filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:room]
            )
            records += _current_state(collections.by_name(collection), ids, state, context)
        else:
            ids = ids_ever_public(model, locale=state.locale, after=last_id, limit=room)
            records += [_deletion(collection, pk) for pk in ids]
        if len(ids) < room:
            state.queue.pop(0)
        else:
            state.queue[0][2] = ids[-1]

    if not state.queue and len(records) < limit:
        room = limit - len(records)
        changes = changes_between(
            state.position,
            head,
            models=[collections.by_name(name).model for name in state.held],
            locale=state.locale,
            limit=room,
        )
        records += _records_for_changes(changes, state, context)
        state.position = changes[-1].id if len(changes) == room else head
    has_more = bool(state.queue) or state.position < head
    page = {"records": records, "next_cursor": state.to_cursor(), "has_more": has_more}
    return rich_text.expand_in(page)


def _records_for_changes(changes, state: SyncState, context) -> list[dict]:
    """One record per changed item, in the order of its latest change: its state now."""
    latest = {}
    for change in changes:
        key = (collections.for_model(change.content_type.model_class()).name, change.object_id)
        latest.pop(key, None)
        latest[key] = change
    by_collection: dict[str, list[int]] = {}
    for collection, pk in latest:
        by_collection.setdefault(collection, []).append(pk)
    current = {
        (record["collection"], record["id"]): record
        for collection, ids in by_collection.items()
        for record in _current_state(collections.by_name(collection), ids, state, context)
    }
    return [current[key] for key in latest]


def _current_state(collection: Collection, ids: list[int], state: SyncState, context):
    """An upsert for each id that is live now, a deletion for each that is not."""
    serializer_class = collection.serializer
    # Relations come as slugs, never expanded: the targets need no relations of their own.
    live = live_items(collection.model, locale=state.locale, related_depth=0).filter(pk__in=ids)
    items = {item.pk: item for item in live}
    serializer = serializer_class(context={**context, "fields": set(serializer_class.Meta.fields)})
    return [
        {
            "action": "upsert",
            "collection": collection.name,
            "id": pk,
            "item": serializer.to_representation(items[pk]),
        }
        if pk in items
        else _deletion(collection.name, pk)
        for pk in ids
    ]


def _deletion(collection: str, pk: int) -> dict:
    return {"action": "delete", "collection": collection, "id": pk, "item": None}
