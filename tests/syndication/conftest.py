"""Fixtures for webhook tests: a real HTTP receiver, and the worker's queue run in-process."""

import datetime
import http.server
import time
from dataclasses import dataclass, field

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from syndication.models import WebhookDelivery
from tests.processes import serve_in_thread


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that records each request and answers with the next of
    `statuses` (then 204). `delay` seconds before answering simulates a slow server."""

    statuses: list[int] = field(default_factory=list)
    delay: float = 0
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    server: http.server.HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.requests.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("location", f"http://127.0.0.1:{receiver.port}/elsewhere/")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_port
        serve_in_thread(self.server)
        return self

    def stop(self) -> None:
        """Down: connections to the port are refused until `start()` again (same port)."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks):
    """Run the webhooks queue in this process as `manage.py webhook_worker` does (one due task
    at a time, by django-tasks-db's own `Worker.run_task`), until no task is due.

    The worker's loop itself cannot run inside a test's transaction (it closes connections
    that are not in autocommit). A task that ends a delivery queues the next in line on
    commit: each task runs inside a capture that executes those callbacks.
    """
    worker = Worker(
        queue_names=["webhooks"],
        interval=0,
        batch=True,
        backend_name="webhooks",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )

    def run() -> None:
        for _task in range(500):
            ready = DBTaskResult.objects.ready().filter(backend_name="webhooks")
            task = ready.get_locked()
            if task is None:
                return
            task.claim(worker.worker_id)
            with django_capture_on_commit_callbacks(execute=True):
                worker.run_task(task)
            task.refresh_from_db()
            assert task.status == "SUCCESSFUL", task.traceback
        raise AssertionError("the queue never emptied")

    return run


def advance(delta: datetime.timedelta) -> None:
    """Move the clock forward by `delta` for the webhooks: every stored time moves back."""
    for name in ("next_attempt_at", "first_attempt_at", "last_attempt_at"):
        for delivery in WebhookDelivery.objects.exclude(**{name: None}):
            setattr(delivery, name, getattr(delivery, name) - delta)
            delivery.save(update_fields=[name])
    for task in DBTaskResult.objects.filter(backend_name="webhooks", status="READY"):
        if task.run_after.year < 9999:  # the backend stores "no run_after" as the max date
            task.run_after -= delta
            task.save(update_fields=["run_after"])
