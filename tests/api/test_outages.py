"""Fault tests with real processes: the API served by gunicorn under a bounded load from a
few threads on 127.0.0.1, while its Redis, then its PostgreSQL, is stopped and started again.

Redis is a redis-server started here on a free port. PostgreSQL is a cluster of its own made
here with initdb, run as the `postgres` user (`runuser`), holding a copy of the test database
(skipped, saying why, where the machine cannot: no PostgreSQL 15 binaries, not root, no
`postgres` user). Nothing is restarted but the dependency: the server recovers by itself.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from tests.databases import database_url, disconnect
from tests.factories import SideEffectFactory
from tests.processes import free_port, server_environment, start, stop, wait_for

pytestmark = pytest.mark.slow

REDIS_SERVER = shutil.which("redis-server")
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
# Nothing kept on disk: a restarted Redis starts empty, as a cache may.
NO_DISK = ("--save", "", "--appendonly", "no")
CACHED_PATHS = ("/api/v1/side-effects/", "/api/v1/side-effects/nausea/")


class RedisServer:
    """A redis-server of this test's own, keeping nothing on disk."""

    def __init__(self, log: Path):
        self.port, self.log, self.process = free_port(), log, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = start(
            [REDIS_SERVER, *("--port", str(self.port), "--bind", "127.0.0.1"), *NO_DISK],
            self.log,
        )
        assert wait_for(self.answers, timeout=15), self.log.read_text()

    def stop(self) -> None:
        stop(self.process)
        self.process = None

    def answers(self) -> bool:
        return self.command("PING") == "PONG"

    def command(self, *words: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *words], capture_output=True, text=True
        )
        return result.stdout.strip()


class PostgresCluster:
    """A PostgreSQL cluster of this test's own, run as `postgres` in a directory in /tmp."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="kcp-outage-pg-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"

    def run(self, *arguments: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *arguments],
            capture_output=True,
            text=True,
            check=True,
            **kwargs,
        )

    def create(self) -> None:
        self.run(str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = self.directory / "postgres.log"
        self.run(
            str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def copy_database(self, source_url: str, name: str) -> str:
        """Create database `name` here as a copy of the database at `source_url`; its URL."""
        self.run(str(POSTGRES_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), name)
        dump = subprocess.run(
            [POSTGRES_BIN / "pg_dump", "--no-owner", "--no-privileges", source_url],
            capture_output=True,
            check=True,
        )
        subprocess.run(
            [POSTGRES_BIN / "psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            input=dump.stdout,
            capture_output=True,
            check=True,
        )
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        with suppress(subprocess.CalledProcessError):  # not running
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class Answer:
    phase: str
    path: str
    status: int  # 0: no answer at all (refused, or timed out)
    content_type: str = ""
    retry_after: str | None = None
    counted: bool = False  # carried RateLimit headers
    asked_at: float = 0.0  # time.monotonic() when the request was sent, and answered
    answered_at: float = 0.0


@dataclass
class Load:
    """Requests from a few threads, as fast as the server answers, until stopped (and at
    most two minutes), over the cached paths, the probe, and paths never asked before."""

    base_url: str
    phase: str = "before"
    answers: list[Answer] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _requests: int = 0

    def __enter__(self):
        self._threads = [threading.Thread(target=self._run) for _ in range(4)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self):
        deadline = time.monotonic() + 120
        while not self._stopping.is_set() and time.monotonic() < deadline:
            self._requests += 1
            number = self._requests
            paths = (*CACHED_PATHS, "/readyz", f"/api/v1/side-effects/?offset={number}&limit=1")
            path = paths[number % len(paths)]
            self.answers.append(self.ask(path, self.phase))

    def ask(self, path: str, phase: str = "") -> Answer:
        asked_at = time.monotonic()
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=15) as response:
                answer = self._answer(phase, path, response.status, response.headers)
        except urllib.error.HTTPError as error:
            answer = self._answer(phase, path, error.code, error.headers)
        except OSError:
            answer = Answer(phase, path, 0)
        answer.asked_at, answer.answered_at = asked_at, time.monotonic()
        return answer

    @staticmethod
    def _answer(phase, path, status, headers) -> Answer:
        return Answer(
            phase,
            path,
            status,
            headers.get("Content-Type", ""),
            headers.get("Retry-After"),
            "RateLimit-Remaining" in headers,
        )

    def during(self, phase: str) -> list[Answer]:
        return [answer for answer in self.answers if answer.phase == phase]

    def between(self, start: float, end: float) -> list[Answer]:
        """The answers to requests sent after `start` and answered before `end`."""
        return [a for a in self.answers if a.asked_at >= start and a.answered_at <= end]


WORKERS = ("--workers", "2", "--timeout", "60")


@contextmanager
def api_server(database: str, redis_url: str, log: Path):
    """gunicorn (two workers, as a small deployment runs) with the test settings on
    `database` and `redis_url`; its base URL."""
    port = free_port()
    environment = {
        **server_environment(database),
        "REDIS_URL": redis_url,
        # While the database is down, a request waits this long for a connection, then 503.
        "DATABASE_POOL_TIMEOUT": "1",
    }
    server = start(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}", *WORKERS],
        log,
        environment,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: Load(base_url).ask("/healthz").status == 200, 60), log.read_text()
        yield base_url, server
    finally:
        stop(server)


@pytest.fixture
def own_redis(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server).")
    redis = RedisServer(tmp_path / "redis.log")
    redis.start()
    try:
        yield redis
    finally:
        if redis.process is not None:
            redis.stop()


@pytest.fixture
def own_postgres(test_database, django_db_blocker):
    """A cluster of this test's own, holding a copy of the test database; this process's
    connection points at it during the test (so factories write there)."""
    if not (POSTGRES_BIN / "initdb").exists() or os.geteuid() != 0:
        pytest.skip(
            f"A PostgreSQL cluster of the test's own needs {POSTGRES_BIN}/initdb (Debian's "
            "postgresql-15) and root, to run it as the `postgres` user."
        )
    try:
        cluster = PostgresCluster()
    except LookupError:
        pytest.skip("A PostgreSQL cluster of the test's own needs a `postgres` user.")
    try:
        cluster.create()
        cluster.start()
        with django_db_blocker.unblock():
            url = cluster.copy_database(database_url(test_database), "outage")
            settings = connection.settings_dict
            saved = {key: settings[key] for key in ("NAME", "HOST", "PORT")}
            disconnect()
            settings.update(NAME="outage", HOST="127.0.0.1", PORT=str(cluster.port))
            try:
                yield cluster, url
            finally:
                disconnect()
                settings.update(saved)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"{error.cmd} failed:\n{error.stdout}\n{error.stderr}")
    finally:
        cluster.remove()


def assert_never_500(load: Load) -> None:
    failures = [answer for answer in load.answers if answer.status >= 500 and answer.status != 503]
    unanswered = [answer for answer in load.answers if answer.status == 0]
    assert not failures, failures[:5]
    assert not unanswered, unanswered[:5]


def test_reads_go_on_through_a_redis_outage_and_redis_is_used_again_when_it_returns(
    committed_database, own_redis, tmp_path
):
    SideEffectFactory(name="Nausea", slug="nausea")
    with api_server(committed_database, own_redis.url, tmp_path / "server.log") as (url, _):
        with Load(url) as load:
            time.sleep(2)
            own_redis.stop()
            load.phase, stopped = "outage", time.monotonic()
            time.sleep(3)
            restarting = time.monotonic()
            own_redis.start()
            load.phase = "after"
            time.sleep(3)
        readiness = json.loads(urllib.request.urlopen(f"{url}/readyz", timeout=15).read())

    assert_never_500(load)
    outage = load.between(stopped, restarting)
    assert outage and all(answer.status == 200 for answer in outage), outage[:5]
    # Rate limits failed open: the requests went through uncounted.
    assert not any(answer.counted for answer in outage if answer.path != "/readyz")
    # Back by itself: counting again, and the cache holds responses again.
    after = [answer for answer in load.during("after")[-20:] if answer.path != "/readyz"]
    assert after and all(answer.status == 200 and answer.counted for answer in after)
    assert int(own_redis.command("DBSIZE")) > 0
    assert readiness["checks"] == {"database": "ok", "redis": "ok"}


def test_a_database_outage_is_503_with_retry_after_cached_reads_go_on_and_it_recovers(
    own_postgres, own_redis, tmp_path
):
    cluster, database = own_postgres
    SideEffectFactory(name="Nausea", slug="nausea")
    disconnect()  # this process's connections would hold the cluster's shutdown up
    with api_server(database, own_redis.url, tmp_path / "server.log") as (url, server):
        for path in CACHED_PATHS:  # now cached
            assert Load(url).ask(path).status == 200
        with Load(url) as load:
            time.sleep(2)
            cluster.stop()
            load.phase, stopped = "outage", time.monotonic()
            time.sleep(5)
            restarting = time.monotonic()
            cluster.start()
            load.phase = "after"
            recovered = wait_for(
                lambda: Load(url).ask("/api/v1/side-effects/?offset=0&limit=2").status == 200, 30
            )
        assert server.poll() is None  # the same server, never restarted

    assert_never_500(load)
    outage = load.between(stopped, restarting)
    cached = [answer for answer in outage if answer.path in CACHED_PATHS]
    assert cached and all(answer.status == 200 for answer in cached), cached[:5]
    unavailable = [answer for answer in outage if answer.status == 503]
    assert any(answer.path == "/readyz" for answer in unavailable)
    assert any(answer.path.startswith("/api/v1/side-effects/?") for answer in unavailable)
    for answer in unavailable:
        assert answer.retry_after is not None, answer
        if answer.path.startswith("/api/"):
            assert answer.content_type == "application/problem+json", answer
    assert recovered
