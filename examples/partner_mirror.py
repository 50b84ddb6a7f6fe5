#!/usr/bin/env python3
"""A partner clinic's mirror of the ketamine-therapy patient information: a client to copy.

It keeps a local copy of the content a partner's API key may use in one SQLite file,
through the content API's sync endpoint (`/api/v1/sync/`), and runs a small web server that
receives the API's signed webhooks and syncs again whenever something changed. It needs only
the Python standard library (3.11 or later).

    python examples/partner_mirror.py sync  --api URL --key KEY --db mirror.sqlite3 [--locale en]
    python examples/partner_mirror.py serve --api URL --key KEY --db mirror.sqlite3 \\
        --secret whsec_... [--host 127.0.0.1] [--port 8001]
    python examples/partner_mirror.py show  --db mirror.sqlite3

Trying it against a local server:

1. In one terminal, in the project: `make run` (serves http://127.0.0.1:8000 with the demo
   content; the admin is http://127.0.0.1:8000/admin/, `admin` / `changeme`).
2. In the admin's Syndication menu, add a partner (the collections it may use, its credit
   line), then an API key for it: the full key (`kcp_...`) is shown once; copy it. For
   webhooks, give the partner a webhook endpoint pointing at http://127.0.0.1:8001/ (the
   development settings allow delivery to loopback addresses) and copy its `whsec_...`
   secret; start the webhook worker in another terminal: `make worker`.
3. `python examples/partner_mirror.py sync --api http://127.0.0.1:8000 --key kcp_... --db
   mirror.sqlite3`, then `python examples/partner_mirror.py show --db mirror.sqlite3`.
4. `python examples/partner_mirror.py serve ... --secret whsec_...`, then publish a change in
   the admin: the mirror has it a moment later.

How it keeps the copy right: the first sync receives every live item; each page of records
comes with a cursor, which the mirror stores in the same SQLite transaction as the page's
records, so a sync that stops half-way (a crash, a lost connection) resumes where the last
stored page ended and never skips or half-applies a page. Later syncs send the stored cursor
and receive only what changed since: an `upsert` with the item in full, or a `delete` for
an item that was unpublished, deleted or taken out of the partner's licence. Records are
applied in order; applying one twice does no harm.

A webhook only says that something changed; the sync brings the content. So the receiver
checks the signature (Standard Webhooks: HMAC-SHA256 with the endpoint's secret, within five
minutes of the time it was sent), answers at once, and starts a sync in the background. It
also syncs when it starts, to catch up on whatever happened while it was not running. Put it
behind HTTPS (a reverse proxy) on a real site.

Attribution: every item carries an `attribution` block (publisher, canonical `url`,
`license_url`, the credit line `text`, `link_back_required`, `allowed_modifications`,
`last_reviewed_at`). Your licence requires you to show the credit line and the review date
with the item, to link to `url` when `link_back_required` is true, and to change the content
no more than `allowed_modifications` allows. The mirror keeps the block with each item.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import email.utils
import hashlib
import hmac
import http.client
import json
import logging
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("partner_mirror")

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    collection TEXT NOT NULL,
    id INTEGER NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    last_published_at TEXT,
    item TEXT NOT NULL,  -- the item as the API sends it, JSON, `attribution` included
    PRIMARY KEY (collection, id)
);
CREATE TABLE IF NOT EXISTS sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- one row: where this mirror is in the sync
    locale TEXT NOT NULL,
    cursor TEXT NOT NULL,
    synced_at TEXT NOT NULL
);
"""

PAGE_SIZE = 100  # the most the API sends at once
REQUEST_TIMEOUT = 30  # seconds
MAX_RATE_LIMITED_RETRIES = 5
MAX_RETRY_AFTER = 300  # seconds: never wait longer than this for one 429
SIGNATURE_TOLERANCE = 5 * 60  # seconds between a webhook's timestamp and now
MAX_WEBHOOK_BODY = 1024 * 1024  # bytes; the API's payloads are a few hundred


class MirrorError(Exception):
    """Something the person running the mirror must fix or know; the message says what."""


# --- The API ----------------------------------------------------------------------------


def fetch_sync_page(api: str, key: str, *, cursor: str | None, locale: str) -> dict:
    """One page of `/api/v1/sync/`: from the start (no cursor) or from `cursor`.

    Waits and asks again when rate-limited (429, as long as `Retry-After` says).
    """
    # The cursor carries the language; the API refuses both at once.
    query = {"limit": PAGE_SIZE} | ({"cursor": cursor} if cursor else {"locale": locale})
    url = f"{api.rstrip('/')}/api/v1/sync/?{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(
        url,
        headers={
            "Authorization": f"Bearer {key}",
            "Accept": "application/json",
            "User-Agent": "partner-mirror/1.0",
        },
    )
    for _attempt in range(MAX_RATE_LIMITED_RETRIES + 1):
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code != 429:
                raise MirrorError(http_error_message(error, api)) from None
            wait = retry_after_seconds(error.headers.get("Retry-After"))
            log.warning("Rate-limited by the API; waiting %s s as it asks.", wait)
            time.sleep(wait)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise MirrorError(f"Cannot reach the API at {api}: {reason}.") from None
        except ValueError:
            raise MirrorError(f"The API at {api} did not answer with JSON: check --api.") from None
    raise MirrorError("The API kept answering 429 (rate limit); try again later.")


def http_error_message(error: urllib.error.HTTPError, api: str) -> str:
    """What went wrong, in words: the API's problem details (RFC 9457) when it sent them."""
    try:
        problem = json.loads(error.read())
        detail = problem.get("detail") or problem.get("title") or ""
        errors = problem.get("errors") or {}
    except (ValueError, AttributeError, OSError):
        detail, errors = "", {}
    if error.code == 401:
        return (
            f"The API refused the key (401): {detail or 'unknown, revoked or expired'}. "
            "Check --key: the full key as shown once when it was created (kcp_...)."
        )
    if error.code == 400 and "cursor" in errors:
        return (
            f"The API refused this mirror's cursor: {' '.join(errors['cursor'])} "
            "Start a new mirror with another --db file."
        )
    if error.code == 404:
        return f"No sync endpoint at {api}/api/v1/sync/ (404): check --api."
    return f"The API answered {error.code}: {detail or error.reason}."


def retry_after_seconds(value: str | None) -> float:
    """`Retry-After` as seconds to wait: it is a number of seconds or an HTTP date."""
    if not value:
        return 1.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


# --- The mirror file --------------------------------------------------------------------


def open_mirror(path: str) -> sqlite3.Connection:
    """The mirror's SQLite file, created if new. Transactions are begun explicitly."""
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.executescript(SCHEMA)
    return db


def stored_state(db: sqlite3.Connection) -> tuple[str, str] | None:
    """(locale, cursor) of the last stored page; None for a mirror never synced."""
    return db.execute("SELECT locale, cursor FROM sync_state WHERE id = 1").fetchone()


def item_title(item: dict) -> str:
    return str(item.get("title") or item.get("name") or item.get("slug") or "")


def apply_page(
    db: sqlite3.Connection, page: dict, *, locale: str, fetched_with: str | None
) -> bool:
    """Apply a page's records in order and store its cursor, in one transaction.

    Returns False, changing nothing, if another process stored a cursor since this page was
    fetched (two syncs of one file at once): the caller fetches again from the stored one.
    """
    db.execute("BEGIN IMMEDIATE")  # takes the write lock now, so the check below holds
    try:
        state = stored_state(db)
        if (state[1] if state else None) != fetched_with:
            db.execute("ROLLBACK")
            return False
        for record in page["records"]:
            if record["action"] == "upsert":
                item = record["item"]
                db.execute(
                    "INSERT INTO items (collection, id, slug, title, last_published_at, item)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET"
                    " slug = excluded.slug, title = excluded.title,"
                    " last_published_at = excluded.last_published_at, item = excluded.item",
                    (
                        record["collection"],
                        record["id"],
                        item.get("slug", ""),
                        item_title(item),
                        item.get("last_published_at"),
                        json.dumps(item),
                    ),
                )
            else:
                db.execute(
                    "DELETE FROM items WHERE collection = ? AND id = ?",
                    (record["collection"], record["id"]),
                )
        db.execute(
            "INSERT INTO sync_state (id, locale, cursor, synced_at) VALUES (1, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor,"
            " synced_at = excluded.synced_at",
            (locale, page["next_cursor"], time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return True


# --- Commands ---------------------------------------------------------------------------


def sync(api: str, key: str, db_path: str, locale: str = "en") -> dict[str, int]:
    """Bring the mirror up to date; returns how many records of each action it applied."""
    db = open_mirror(db_path)
    try:
        state = stored_state(db)
        if state and state[0] != locale:
            raise MirrorError(
                f"{db_path} mirrors the '{state[0]}' content; use another --db for '{locale}'."
            )
        counts = {"upsert": 0, "delete": 0}
        while True:
            cursor = state[1] if state else None
            page = fetch_sync_page(api, key, cursor=cursor, locale=locale)
            if apply_page(db, page, locale=locale, fetched_with=cursor):
                for record in page["records"]:
                    counts[record["action"]] += 1
                if not page["has_more"]:
                    return counts
            state = stored_state(db)
    finally:
        db.close()


def show(db_path: str, out=sys.stdout) -> None:
    """Print what the mirror holds: how many items per collection, and their titles."""
    db = open_mirror(db_path)
    try:
        state = db.execute("SELECT locale, synced_at FROM sync_state").fetchone()
        if state is None:
            print(f"{db_path} has never been synced.", file=out)
            return
        total = db.execute("SELECT count(*) FROM items").fetchone()[0]
        print(f"{total} items ({state[0]}), last synced {state[1]}.", file=out)
        rows = db.execute("SELECT collection, id, title FROM items ORDER BY collection, title, id")
        collection = None
        for name, pk, title in rows:
            if name != collection:
                collection = name
                count = db.execute(
                    "SELECT count(*) FROM items WHERE collection = ?", (name,)
                ).fetchone()[0]
                print(f"\n{name}: {count}", file=out)
            print(f"  {pk:>6}  {title}", file=out)
    finally:
        db.close()


# --- Webhooks ---------------------------------------------------------------------------


class InvalidSignature(Exception):
    """The request is not a webhook signed with this endpoint's secret; the message says why."""


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret."""
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise MirrorError("--secret is not a webhook secret (whsec_ and base64).") from None


def verify_signature(
    key: bytes, headers: Mapping[str, str], body: bytes, *, now: float | None = None
) -> str:
    """Check a webhook as Standard Webhooks signs it; returns its `webhook-id`.

    The signature is HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}", in base64,
    sent as `v1,<signature>`; `webhook-signature` may list several (space-separated, e.g.
    during a secret rotation) and one matching is enough. A timestamp more than five minutes
    from now is refused, so a captured request cannot be replayed later.
    """
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        raise InvalidSignature("Missing webhook-id, webhook-timestamp or webhook-signature.")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise InvalidSignature("webhook-timestamp is not a number of seconds.") from None
    if abs((time.time() if now is None else now) - sent_at) > SIGNATURE_TOLERANCE:
        raise InvalidSignature("webhook-timestamp is too far from now.")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    for signature in signatures.split():
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return msg_id
    raise InvalidSignature("No signature matches.")


class SyncRunner:
    """Runs syncs in one background thread, one at a time.

    `request()` returns at once. Requests that arrive during a sync cause one more sync
    after it (that sync sees whatever they announced), however many they are.
    """

    def __init__(self, run_sync: Callable[[], object]):
        self.run_sync = run_sync
        self.wanted = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="sync", daemon=True)
        self.thread.start()

    def request(self) -> None:
        self.wanted.set()

    def _loop(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()  # before the sync: a request during it sets it again
            try:
                self.run_sync()
            except MirrorError as error:
                log.error("Sync failed: %s The next webhook tries again.", error)
            except Exception:
                log.exception("Sync failed; the next webhook tries again.")


class SeenIds:
    """`webhook-id`s received lately: a retried delivery is acknowledged, not acted on twice.

    Only as long as a timestamp is accepted: an older repeat fails the signature check.
    """

    def __init__(self, keep_for: float = 2 * SIGNATURE_TOLERANCE):
        self.keep_for = keep_for
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()

    def first_time(self, msg_id: str) -> bool:
        now = time.monotonic()
        with self.lock:
            self.seen = {i: at for i, at in self.seen.items() if now - at < self.keep_for}
            if msg_id in self.seen:
                return False
            self.seen[msg_id] = now
            return True


def webhook_handler(key: bytes, runner: SyncRunner, seen: SeenIds) -> type:
    """The request handler class of a receiver that verifies with `key` and syncs."""

    class WebhookHandler(BaseHTTPRequestHandler):
        server_version = "partner-mirror/1.0"

        def do_POST(self) -> None:
            length = self.headers.get("Content-Length", "")
            if not length.isdigit():
                self.answer(411, "Send the body with a Content-Length.")
                return
            if int(length) > MAX_WEBHOOK_BODY:
                self.answer(413, "Too large for a webhook.")
                return
            body = self.rfile.read(int(length))
            try:
                msg_id = verify_signature(key, self.headers, body)
            except InvalidSignature as error:
                log.warning("Refused a webhook: %s", error)
                self.answer(401, str(error))
                return
            if not seen.first_time(msg_id):
                self.answer(200, "Already received.")
                return
            event = parse_event(body)
            log.info("Webhook %s: %s %s.", msg_id, event.get("type"), event.get("data"))
            runner.request()
            self.answer(202, "Accepted; syncing.")

        def answer(self, status: int, message: str) -> None:
            body = json.dumps({"status": status, "detail": message}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:
            log.debug(format, *args)

    return WebhookHandler


def parse_event(body: bytes) -> dict:
    """The event a webhook announces, for the log; the sync does not need it."""
    try:
        event = json.loads(body)
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def serve(
    api: str, key: str, db_path: str, secret: str, *, host: str, port: int, locale: str
) -> None:
    """Catch up, then receive webhooks on host:port and sync after each, until stopped."""
    hmac_key = secret_key(secret)

    def run_sync() -> None:
        counts = sync(api, key, db_path, locale)
        log.info("Synced: %(upsert)s upserted, %(delete)s deleted.", counts)

    run_sync()  # what changed while the receiver was not running
    runner = SyncRunner(run_sync)
    server = ThreadingHTTPServer((host, port), webhook_handler(hmac_key, runner, SeenIds()))
    log.info("Receiving webhooks on http://%s:%s/", host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# --- Command line -----------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def api_arguments(command: argparse.ArgumentParser) -> None:
        command.add_argument("--api", required=True, help="e.g. http://127.0.0.1:8000")
        command.add_argument("--key", required=True, help="your API key, kcp_...")
        command.add_argument("--db", required=True, help="the mirror's SQLite file")
        command.add_argument("--locale", default="en", help="the content's language (en)")

    api_arguments(commands.add_parser("sync", help="bring the mirror up to date"))
    receiver = commands.add_parser("serve", help="receive webhooks and sync after each")
    api_arguments(receiver)
    receiver.add_argument("--secret", required=True, help="the endpoint's secret, whsec_...")
    receiver.add_argument("--host", default="127.0.0.1", help="address to listen on")
    receiver.add_argument("--port", type=int, default=8001, help="port to listen on (8001)")
    shown = commands.add_parser("show", help="list what the mirror holds")
    shown.add_argument("--db", required=True, help="the mirror's SQLite file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        if arguments.command == "sync":
            counts = sync(arguments.api, arguments.key, arguments.db, arguments.locale)
            print(f"Synced: {counts['upsert']} upserted, {counts['delete']} deleted.")
        elif arguments.command == "serve":
            serve(
                arguments.api,
                arguments.key,
                arguments.db,
                arguments.secret,
                host=arguments.host,
                port=arguments.port,
                locale=arguments.locale,
            )
        else:
            show(arguments.db)
    except MirrorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
