"""Fixtures for the examples: a real API server in another process, on its own database."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def _maintenance(sql: str) -> None:
    """Run `sql` on the server's maintenance database (CREATE/DROP DATABASE run outside any
    database they touch, and outside a transaction)."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as maintenance:
        maintenance.execute(sql)


def _database_url(name: str) -> str:
    settings = connection.settings_dict
    credentials = urllib.parse.quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(settings["PASSWORD"], safe="")
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{name}"


@pytest.fixture(scope="module")
def committed_database(django_db_blocker):
    """A new, migrated database that the tests of a module write to, committing, and that a
    server in another process reads; its URL. It is dropped after the module.

    A server in another process sees only committed data, which the usual test transaction
    (rolled back at the end) never commits; and a transactional test would empty every
    table of the test database afterwards, taking with it what the migrations created
    (Wagtail's root page, default site and locales, the workflows, the content generation
    row) that the other tests need, on every later --reuse-db run too. This database leaves
    the test database untouched: while the module runs, this process's connection points at
    it, so factories write there.
    """
    name = f"{connection.settings_dict['NAME']}_live"
    url = _database_url(name)
    with django_db_blocker.unblock():
        _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _maintenance(f'CREATE DATABASE "{name}"')
        try:
            migrate = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=REPO,
                env=server_environment(url),
                capture_output=True,
                text=True,
                check=False,
            )
            if migrate.returncode:
                pytest.fail(f"migrate failed:\n{migrate.stdout}{migrate.stderr}")
            with _default_connection_to(name):
                yield url
        finally:
            _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _default_connection_to(name: str):
    """Point this process's default connection at database `name` for a while."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    # Content type ids are cached per process; the two databases may number them apart.
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        ContentType.objects.clear_cache()


def server_environment(database_url: str) -> dict[str, str]:
    """The environment of the project's processes run on `database_url`: the test settings,
    caching in their own memory, not in the tests' Redis."""
    return {
        **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def live_api(committed_database, tmp_path):
    """The project served by gunicorn in another process, on `committed_database`; its base
    URL."""
    port = free_port()
    environment = server_environment(committed_database)
    log = tmp_path / "api-server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, f"{base_url}/healthz", log)
        yield base_url
    finally:
        stop(process)
