"""Running the project's own processes (a server, the worker) from a test, and waiting on them;
and the small HTTP servers tests run in a thread of their own (a partner's receiver, a CDN)."""

import os
import signal
import socket
import socketserver
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def server_environment(database_url: str) -> dict[str, str]:
    """The environment of the project's processes run on `database_url`: the test settings,
    caching in their own memory, not in the tests' Redis."""
    return {
        **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
    }


# How often a test's own server checks whether it is asked to stop: its `shutdown()` waits
# that long at most. At socketserver's default (half a second) stopping the servers took
# longer than some tests did.
STOP_CHECK_SECONDS = 0.02


def serve_in_thread(server: socketserver.BaseServer) -> socketserver.BaseServer:
    """Serve `server` on a thread of this process until its `shutdown()`; the server."""
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": STOP_CHECK_SECONDS}, daemon=True
    ).start()
    return server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float = 30) -> bool:
    """Whether `condition()` came true within `timeout` seconds (asked every 0.1 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def wait_until_serving(process: subprocess.Popen, url: str, log: Path, timeout=60) -> None:
    """Wait until `url` answers at all (any status); fail with the process's output if it
    stops first or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args} stopped ({process.returncode}):\n{log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{process.args} did not answer {url} in {timeout} s:\n{log.read_text()}")


def start(arguments: list[str], log: Path, environment: dict[str, str] | None = None):
    """Start `arguments` in the repository, output appended to `log`, in a process group of
    its own, so that `stop` ends it and whatever it started (`make` runs its recipe in a
    child process)."""
    with log.open("a") as output:
        return subprocess.Popen(
            arguments,
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    """Stop a process that `start` started, and what it started: politely (the worker
    finishes the webhook it is sending), then for good. Returns once none of them runs."""
    for signal_number in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signal_number)
        except ProcessLookupError:
            break
        if wait_for(lambda: _has_ended(process), timeout=15):
            break
    process.wait()


def _has_ended(process: subprocess.Popen) -> bool:
    """Whether `process` and every process of its group have ended (`make` may end before
    the command it ran)."""
    process.poll()  # a leader that ended stays in its group until it is reaped
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return True
    return False
