"""`examples/partner_mirror.py`: a partner's mirror, run as a partner runs it, against a live
server; and its webhook checks and sync scheduling, on their own."""

import base64
import hashlib
import hmac
import importlib.util
import json
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from content_models import collections
from content_models.selectors import live_items
from syndication.enums import WebhookEvent
from syndication.models import WebhookDelivery, WebhookEndpoint
from tests.factories import FAQFactory, ReferenceFactory, SideEffectFactory
from tests.factories.syndication import PartnerFactory, api_key_for
from tests.processes import (
    REPO,
    free_port,
    serve_in_thread,
    server_environment,
    start,
    stop,
    wait_for,
    wait_until_serving,
)

CLIENT = REPO / "examples" / "partner_mirror.py"


def load_client():
    spec = importlib.util.spec_from_file_location("partner_mirror", CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


partner_mirror = load_client()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """A Standard Webhooks signature, written from the specification independently of the
    example (and checked against the specification's own test vector below)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# The test vector of the Standard Webhooks reference implementations.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID, VECTOR_TIMESTAMP = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def vector_headers(**overrides) -> dict[str, str]:
    return {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TIMESTAMP),
        "webhook-signature": VECTOR_SIGNATURE,
    } | overrides


# --- Run as a partner runs it, against the API served over HTTP by another process -------


def run_client(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CLIENT), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def mirrored(db: Path) -> dict[tuple[str, int], dict]:
    """What the mirror file holds: (collection, id) -> the item as stored."""
    with sqlite3.connect(db) as mirror:
        rows = mirror.execute("SELECT collection, id, title, item FROM items").fetchall()
    return {
        (collection, pk): json.loads(item) | {"_title_column": title}
        for collection, pk, title, item in rows
    }


def live_keys(scope: list[str]) -> set[tuple[str, int]]:
    return {
        (collection, pk)
        for collection in scope
        for pk in live_items(
            collections.by_name(collection).model, locale="en", related_depth=None
        ).values_list("pk", flat=True)
    }


def publish_faq(question: str):
    faq = FAQFactory(live=False, question=question)
    faq.save_revision().publish()
    faq.refresh_from_db()
    return faq


def post_webhook(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_the_mirror_follows_the_content_by_sync_and_by_the_workers_webhooks(
    live_api, committed_database, tmp_path
):
    scope = ["faqs", "side-effects"]
    partner = PartnerFactory(collections=scope, attribution_text="Credit: the clinic's line.")
    key = api_key_for(partner)
    edited = publish_faq("Is ketamine therapy safe?")
    withdrawn = publish_faq("How many sessions are there?")
    side_effect = SideEffectFactory()
    FAQFactory(live=False, question="A draft nobody may see?")
    ReferenceFactory()  # live, but outside the partner's scope
    db = tmp_path / "mirror.sqlite3"
    client_arguments = ("--api", live_api, "--key", key, "--db", str(db))
    port = free_port()

    first = run_client("sync", *client_arguments)

    assert first.returncode == 0, first.stderr
    items = mirrored(db)
    assert set(items) == live_keys(scope)
    assert {("faqs", edited.pk), ("faqs", withdrawn.pk), ("side-effects", side_effect.pk)} <= set(
        items
    )
    assert items[("faqs", edited.pk)]["_title_column"] == "Is ketamine therapy safe?"
    assert items[("faqs", edited.pk)]["attribution"]["text"] == "Credit: the clinic's line."

    edited.question = "Is ketamine therapy safe for me?"
    edited.save_revision().publish()
    withdrawn.unpublish()
    second = run_client("sync", *client_arguments)

    assert second.returncode == 0, second.stderr
    assert "1 upserted, 1 deleted" in second.stdout
    items = mirrored(db)
    assert set(items) == live_keys(scope)
    assert ("faqs", withdrawn.pk) not in items
    assert items[("faqs", edited.pk)]["title"] == "Is ketamine therapy safe for me?"
    shown = run_client("show", "--db", str(db))
    assert "Is ketamine therapy safe for me?" in shown.stdout
    assert f"faqs: {sum(collection == 'faqs' for collection, _id in items)}" in shown.stdout

    # The partner registers its receiver; the project's worker, a process of its own, sends.
    endpoint = WebhookEndpoint.objects.create(
        partner=partner, url=f"http://127.0.0.1:{port}/", events=[WebhookEvent.PUBLISHED]
    )
    receiver_log, worker_log = tmp_path / "receiver.log", tmp_path / "worker.log"
    receiver = start(
        [
            sys.executable,
            str(CLIENT),
            "serve",
            *client_arguments,
            "--port",
            str(port),
            "--secret",
            endpoint.secret,
        ],
        receiver_log,
    )
    worker = start(
        [sys.executable, "manage.py", "webhook_worker", "--interval=0.1", "--no-startup-delay"],
        worker_log,
        server_environment(committed_database),
    )
    try:
        # It listens once its catch-up sync is done: what follows is news to it.
        wait_until_serving(receiver, f"http://127.0.0.1:{port}/", receiver_log)
        body = json.dumps({"type": "content.published", "data": {"collection": "faqs"}}).encode()
        now = int(time.time())
        forged = {
            "webhook-id": "msg_forged",
            "webhook-timestamp": str(now),
            "webhook-signature": sign("whsec_" + "A" * 32, "msg_forged", now, body),
        }
        assert post_webhook(f"http://127.0.0.1:{port}/", body, forged) == 401

        added = publish_faq("Can I drive home afterwards?")

        logs = receiver_log.read_text, worker_log.read_text
        assert wait_for(lambda: ("faqs", added.pk) in mirrored(db)), [log() for log in logs]
        assert set(mirrored(db)) == live_keys(scope)
        assert WebhookDelivery.objects.get(endpoint=endpoint).status == "succeeded"
    finally:
        stop(worker)
        stop(receiver)


@pytest.mark.slow
def test_a_refused_key_or_an_unreachable_api_stops_the_sync_with_a_clear_message(
    live_api, tmp_path
):
    db = str(tmp_path / "mirror.sqlite3")

    refused = run_client("sync", "--api", live_api, "--key", "kcp_abcd1234_" + "x" * 40, "--db", db)
    unreachable = run_client(
        "sync", "--api", f"http://127.0.0.1:{free_port()}", "--key", "kcp_x", "--db", db
    )

    assert refused.returncode == 1
    assert "refused the key (401)" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert unreachable.returncode == 1
    assert "Cannot reach the API" in unreachable.stderr


# --- Webhook signatures ------------------------------------------------------------------


def test_the_tests_signer_reproduces_the_specification_test_vector():
    assert sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE


def test_the_receiver_accepts_the_specification_test_vector():
    key = partner_mirror.secret_key(VECTOR_SECRET)
    assert (
        partner_mirror.verify_signature(key, vector_headers(), VECTOR_BODY, now=VECTOR_TIMESTAMP)
        == VECTOR_ID
    )


def test_one_matching_signature_among_several_is_enough():
    key = partner_mirror.secret_key(VECTOR_SECRET)
    headers = vector_headers(**{"webhook-signature": f"v1,bm9wZQ== {VECTOR_SIGNATURE}"})
    assert partner_mirror.verify_signature(key, headers, VECTOR_BODY, now=VECTOR_TIMESTAMP)


@pytest.mark.parametrize(
    ("headers", "body", "now"),
    [
        (vector_headers(), b'{"test": 2432232315}', VECTOR_TIMESTAMP),  # another body
        (vector_headers(**{"webhook-id": "msg_other"}), VECTOR_BODY, VECTOR_TIMESTAMP),
        (vector_headers(), VECTOR_BODY, VECTOR_TIMESTAMP + 5 * 60 + 1),  # too late
        (vector_headers(), VECTOR_BODY, VECTOR_TIMESTAMP - 5 * 60 - 1),  # from the future
        (
            vector_headers(**{"webhook-signature": "v2," + VECTOR_SIGNATURE[3:]}),
            VECTOR_BODY,
            VECTOR_TIMESTAMP,
        ),
        (
            {"webhook-id": VECTOR_ID, "webhook-timestamp": str(VECTOR_TIMESTAMP)},
            VECTOR_BODY,
            VECTOR_TIMESTAMP,
        ),
    ],
)
def test_a_webhook_not_signed_with_the_secret_just_now_is_refused(headers, body, now):
    key = partner_mirror.secret_key(VECTOR_SECRET)
    with pytest.raises(partner_mirror.InvalidSignature):
        partner_mirror.verify_signature(key, headers, body, now=now)


def test_a_repeated_webhook_id_is_seen_once():
    seen = partner_mirror.SeenIds()
    assert seen.first_time("msg_1")
    assert not seen.first_time("msg_1")
    assert seen.first_time("msg_2")


# --- Syncing: one at a time, every page whole ---------------------------------------------


def test_webhooks_during_a_sync_cause_exactly_one_more_sync():
    started, release, finished = threading.Semaphore(0), threading.Event(), threading.Semaphore(0)
    calls = []

    def slow_sync():
        calls.append(len(calls))
        started.release()
        release.wait(timeout=10)
        finished.release()

    runner = partner_mirror.SyncRunner(slow_sync)
    runner.request()
    assert started.acquire(timeout=10)
    for _ in range(3):
        runner.request()  # during the first sync
    release.set()
    assert finished.acquire(timeout=10) and finished.acquire(timeout=10)

    assert len(calls) == 2
    assert not runner.wanted.is_set()  # and none pending after the second


def page(records, cursor="c2", has_more=False):
    return {"records": records, "next_cursor": cursor, "has_more": has_more}


def upsert(pk, title):
    return {
        "action": "upsert",
        "collection": "faqs",
        "id": pk,
        "item": {"id": pk, "slug": f"faq-{pk}", "title": title, "last_published_at": None},
    }


def test_a_page_that_fails_half_way_leaves_the_mirror_and_its_cursor_as_they_were(tmp_path):
    db = partner_mirror.open_mirror(str(tmp_path / "mirror.sqlite3"))
    partner_mirror.apply_page(db, page([upsert(1, "One")], "c1"), locale="en", fetched_with=None)
    broken = page([upsert(2, "Two"), {"action": "upsert", "collection": "faqs", "id": 3}])

    with pytest.raises(KeyError):
        partner_mirror.apply_page(db, broken, locale="en", fetched_with="c1")

    assert db.execute("SELECT id FROM items").fetchall() == [(1,)]
    assert partner_mirror.stored_state(db) == ("en", "c1")


def test_a_page_fetched_from_a_cursor_another_sync_moved_on_is_not_applied(tmp_path):
    db = partner_mirror.open_mirror(str(tmp_path / "mirror.sqlite3"))
    partner_mirror.apply_page(db, page([upsert(1, "New")], "c2"), locale="en", fetched_with=None)

    applied = partner_mirror.apply_page(
        db, page([upsert(1, "Old")], "c1b"), locale="en", fetched_with=None
    )

    assert not applied
    assert db.execute("SELECT title FROM items").fetchall() == [("New",)]
    assert partner_mirror.stored_state(db) == ("en", "c2")


def test_a_rate_limited_request_waits_as_told_and_asks_again():
    answers = [(429, {"Retry-After": "0"}, b""), (200, {}, json.dumps(page([])).encode())]
    seen_keys = []

    class FakeApi(BaseHTTPRequestHandler):
        def do_GET(self):
            seen_keys.append(self.headers["Authorization"])
            status, headers, body = answers.pop(0)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    serve_in_thread(server)
    try:
        result = partner_mirror.fetch_sync_page(
            f"http://127.0.0.1:{server.server_port}", "kcp_key", cursor=None, locale="en"
        )
    finally:
        server.shutdown()
        server.server_close()

    assert result == page([])
    assert seen_keys == ["Bearer kcp_key", "Bearer kcp_key"]


def test_retry_after_is_read_as_seconds_or_as_a_date():
    assert partner_mirror.retry_after_seconds("7") == 7
    in_a_minute = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    assert 55 <= partner_mirror.retry_after_seconds(in_a_minute) <= 60
    assert partner_mirror.retry_after_seconds(None) == 1
