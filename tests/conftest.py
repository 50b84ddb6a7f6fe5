"""Shared fixtures, and the rules that keep the suite fast and every test independent.

Databases
    pytest-django creates the test database once (`--reuse-db` keeps it between runs) and
    runs every migration: Wagtail's root page, default site, locales and workflows, no
    content. A test marked `django_db` runs inside a transaction rolled back at its end.

    A module whose tests need the demo content says so once, for all its tests::

        pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]

    The demo content is loaded into a copy of the test database, kept between runs and loaded
    again only when what it is made of changes; each of pytest-xdist's processes runs such
    a module on a copy of that (`demo_database`), each test rolled back as usual.
    A module runs wholly on one database or the other: a module where only some tests ask
    for `demo_content` is refused.

    No test commits to either database. `transaction=True`, `transactional_db` and
    `live_server` are refused: the flush that ends such a test empties every table, taking
    what the migrations made from every later test and every later run. A test whose data
    another process must see (a server, the worker, a browser) uses `committed_database`, a
    new copy of the test database for that test alone, in autocommit, dropped afterwards;
    `live_api` serves that copy over HTTP.

Markers
    `@pytest.mark.slow`: the test starts another process (a server, the worker, a fresh
    Python, `make`, a browser). `make test` runs every test; `make test-fast` leaves these out.

Order
    `make test` runs the tests in one process per core (pytest-xdist), the `slow` ones first
    (no process is left running a long one alone at the end), each process on test databases
    of its own (pytest-django adds the worker's name) and on keys of its own in Redis
    (tests/cache.py). The tests run in a new random order each run (pytest-randomly);
    the header prints the seed, and `make test PYTEST_ARGS="--randomly-seed=<seed>"` repeats
    that order (add `-n 0` for one process). No test may count on another having run first:
    each starts with an empty cache (`empty_cache`) and makes its own data with the
    factories in tests/factories, or reads the demo content.
"""

import hashlib
import io
import sys
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django.plugin import blocking_manager_key

from tests.databases import (
    add_sources,
    comment_database,
    connected_to,
    copy_database,
    database_comment,
    database_url,
    databases_named,
    disconnect,
    drop_database,
    vacuum,
)
from tests.processes import free_port, server_environment, start, stop, wait_until_serving

# The database the settings name, before pytest-django points them at the test database.
PROJECT_DATABASE = connection.settings_dict["NAME"]
# What makes a test flush every table of its database when it ends.
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def pytest_sessionstart(session):
    """The database server and Redis answer, or the run stops before it starts, saying which
    one is down and how to start it, rather than failing every test with a traceback. Checked
    once, by the process that starts pytest-xdist's workers (or runs the tests itself)."""
    if hasattr(session.config, "workerinput"):
        return
    try:
        with session.config.stash[blocking_manager_key].unblock():
            call_command("check_services")
    except CommandError as error:
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_collection_modifyitems(config, items):
    """Refuse, before anything runs, the tests that would break the rules above; start the
    `slow` tests first (after pytest-randomly's shuffle, keeping its order otherwise)."""
    demo_use_by_module = defaultdict(set)
    for item in items:
        demo_use_by_module[item.path].add("demo_content" in item.fixturenames)
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and (
            marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
        )
        if transactional or TRANSACTIONAL_FIXTURES & set(item.fixturenames):
            raise pytest.UsageError(
                f"{item.nodeid} uses a transactional database, whose flush would empty the "
                "shared test database: use `committed_database` (see tests/conftest.py)."
            )
    mixed = sorted(str(path) for path, uses in demo_use_by_module.items() if len(uses) > 1)
    if mixed:
        raise pytest.UsageError(
            f"Only some tests of {', '.join(mixed)} use `demo_content`: a module runs wholly "
            'on the demo content (`pytest.mark.usefixtures("demo_content")`) or wholly '
            "without it (see tests/conftest.py)."
        )
    # A test that runs a server or a fresh process for up to a minute, started last in one
    # process, would leave the other processes idle to the end of the run; started first,
    # the others share the short tests meanwhile.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (Redis outlives the run too): a response or a
    rate-limit count cached by an earlier test would make a result depend on what ran first."""
    cache.clear()


@pytest.fixture
def admin_client(client, django_user_model):
    """A client logged in to the Wagtail admin as a superuser."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's (each xdist process names its own test database), then this process's
    connections closed, pool included: Django's `create_test_db` points the settings at the
    test database but keeps a pool made before, for the project's database, had anything
    touched the database while the tests were collected."""
    disconnect()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then the test database vacuumed. It is kept between runs, and every
    test's rolled-back transaction leaves its rows behind, dead. PostgreSQL's autovacuum
    reclaims them now and then where the server runs it, and not every server does: left,
    they would pile up run after run, read again by every query that scans a table (the
    search index rereads its whole table at each save).

    Where no test asks for the test database's own transactions (a run of `committed_database`
    tests alone), pytest-django makes none, and nothing writes to it: `test_database`."""
    name = connection.settings_dict["NAME"]
    if name != PROJECT_DATABASE:
        with django_db_blocker.unblock():
            vacuum(name)


@pytest.fixture(scope="session")
def test_database(django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb):
    """The name of the test database: migrated, holding no content.

    pytest-django makes it when a `django_db` test is to run; for a run of tests that only
    use `committed_database` (which copies it), it is made here the same way.
    """
    if connection.settings_dict["NAME"] == PROJECT_DATABASE:
        with django_db_blocker.unblock():
            connection.creation.create_test_db(
                verbosity=0, autoclobber=True, keepdb=django_db_keepdb and not django_db_createdb
            )
    return connection.settings_dict["NAME"]


@dataclass(frozen=True)
class DemoDatabase:
    name: str
    # What `load_demo_content` printed, loading the demo content into the empty database.
    load_report: str


def demo_content_digest() -> str:
    """A digest of what the demo content loaded into the test database this process is
    connected to would be: its migrations and content types (ids included, which this process
    caches), and the files that load it and run as it is saved (`databases.SOURCES`)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
        digest.update(repr(cursor.fetchall()).encode())
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        digest.update(repr(cursor.fetchall()).encode())
    add_sources(digest)
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def demo_database(test_database, django_db_blocker):
    """A copy of the test database with the demo content loaded by `load_demo_content`, made
    once per process (only when a test uses it) and dropped at the end.

    Loading the content takes longer than most modules' tests, so it is loaded into a
    template, kept between runs as `--reuse-db` keeps the test database, and loaded again
    when anything it is made of changes (`demo_content_digest`); each run copies it.
    """
    name = f"{test_database}_demo"
    with django_db_blocker.unblock():
        template = f"{name}_{demo_content_digest()}"
        report = database_comment(template)
        if report is None:
            for stale in databases_named(f"{name}_"):
                drop_database(stale)
            report = make_demo_template(test_database, template)
        copy_database(template, name)
        try:
            yield DemoDatabase(name, report)
        finally:
            drop_database(name)


def make_demo_template(test_database: str, template: str) -> str:
    """Load the demo content into `template`, a new copy of the test database; what
    `load_demo_content` printed, which is also the template's comment: a template with a
    comment is complete."""
    output = io.StringIO()
    copy_database(test_database, template)
    try:
        with connected_to(template):
            call_command("load_demo_content", stdout=output)
    except BaseException:
        drop_database(template)
        raise
    comment_database(template, output.getvalue())
    return output.getvalue()


@pytest.fixture(scope="module")
def demo_content(demo_database):
    """Run the module on the demo content: its tests read and change it freely, each inside
    its own transaction, rolled back, like any `django_db` test."""
    with connected_to(demo_database.name):
        yield


@pytest.fixture
def committed_database(request, test_database, django_db_blocker):
    """A new, migrated database for this test alone, which it writes to in autocommit, so
    another process (a server, the worker) sees what it writes; its URL. This process's
    connection points at it during the test, so factories write there; it is dropped after.

    The test needs no `django_db` mark (that would open its rolled-back transaction on the
    test database before this fixture runs).
    """
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        raise pytest.UsageError(
            f"{request.node.nodeid}: `committed_database` gives the test its database; "
            "remove the `django_db` mark and the `db` fixture."
        )
    name = f"{test_database}_committed"
    with django_db_blocker.unblock():
        copy_database(test_database, name)
        try:
            with connected_to(name):
                yield database_url(name)
        finally:
            drop_database(name)


@pytest.fixture
def live_api(committed_database, tmp_path):
    """The project served by gunicorn in another process, on `committed_database`; its base
    URL."""
    port = free_port()
    log = tmp_path / "api-server.log"
    server = start(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}"],
        log,
        server_environment(committed_database),
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, f"{base_url}/healthz", log)
        yield base_url
    finally:
        stop(server)
