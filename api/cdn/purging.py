"""Telling the CDN what to drop: the surrogate keys of every change, sent once its transaction
commits, as one `BAN` request per CDN address (`CDN_PURGE_URLS`; nothing is sent when it
is empty). A CDN that fails to answer is logged and never fails the publish: its copies then
live until their `s-maxage` runs out."""

import logging

import urllib3
from django.conf import settings
from django.db import transaction
from django.db.models import Model

from .surrogate_keys import EVERYTHING, keys_for_change

logger = logging.getLogger(__name__)

# Varnish refuses request headers over 8 KiB by default (`http_req_hdr_len`).
KEYS_PER_REQUEST = 200
_http = urllib3.PoolManager(retries=False)


class PendingPurge:
    """The items one transaction changed, purged once it commits (in one go, however many
    it changed: the scheduled-publishing run, the demo loader). Their keys are read then,
    from the relations as the transaction left them (Wagtail saves an item's inline rows
    after the item itself)."""

    def __init__(self, item: Model):
        self.items = {(type(item), item.pk)}
        self.sent = False

    def __call__(self) -> None:
        self.sent = True
        try:
            keys = set().union(*(keys_for_change(model, pk) for model, pk in self.items))
        except Exception:
            logger.exception("The CDN was not purged: the changed items could not be read.")
            return
        send(keys)


def content_changed(item: Model) -> None:
    """`content_models.publication`'s hook: purge what shows `item`, after the commit."""
    if not settings.CDN_PURGE_URLS:
        return
    pending = _pending_in_this_transaction()
    if pending is None:
        # Run at once when no transaction is open; dropped with a rolled-back one.
        transaction.on_commit(PendingPurge(item), robust=True)
    else:
        pending.items.add((type(item), item.pk))


def code_deployed(sender, **kwargs) -> None:
    """A deploy runs `migrate`: the CDN drops every response the previous code made."""
    if sender.name == "content_models" and settings.CDN_PURGE_URLS:
        send({EVERYTHING})


def _pending_in_this_transaction() -> PendingPurge | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, PendingPurge) and not callback.sent:
            return callback
    return None


def send(keys: set[str]) -> None:
    """Ask every CDN to drop the responses carrying any of `keys`; log, never raise, a failure."""
    ordered = sorted(keys)
    for url in settings.CDN_PURGE_URLS:
        for start in range(0, len(ordered), KEYS_PER_REQUEST):
            chunk = ordered[start : start + KEYS_PER_REQUEST]
            try:
                response = _http.request(
                    "BAN",
                    url,
                    headers={"Surrogate-Key": " ".join(chunk)},
                    timeout=settings.CDN_PURGE_TIMEOUT,
                )
            except (urllib3.exceptions.HTTPError, OSError) as error:
                _log_failure(url, ordered, error)
                break
            if response.status != 200:
                _log_failure(url, ordered, f"it answered {response.status}")
                break


def _log_failure(url: str, keys: list[str], reason) -> None:
    logger.error(
        "The CDN at %s was not purged (%s): responses showing %s may be served stale until "
        "their s-maxage (%s s) runs out.",
        url,
        reason,
        " ".join(keys[:20]) + (" ..." if len(keys) > 20 else ""),
        settings.API_CACHE_S_MAXAGE,
    )
