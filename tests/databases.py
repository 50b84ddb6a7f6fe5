"""Databases beside the test database: copies of it, and pointing this process at one.

PostgreSQL copies a database file by file (`CREATE DATABASE ... TEMPLATE`) in a fraction of
a second, where running the migrations again takes tens of seconds. A copy starts exactly as
the test database is after its migrations: the same rows (Wagtail's root page, default site
and locales, the workflows, the content generation) and the same content type ids, so
nothing this process caches about them goes stale when it moves between the two.

Databases kept between runs, as `--reuse-db` keeps the test database (the demo content's
template, `tests/conftest.py`; the migrated SQLite file, `tests/test_sqlite_default.py`), are
made again when a file they are made of changes (`add_sources`).
"""

import hashlib
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection
from psycopg import sql

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# What the project's databases are made of: the apps' migrations and the code they and every
# save run, the settings, and the locked dependencies (Django's and Wagtail's migrations and
# saves).
SOURCES = ("content_models", "syndication", "cms/settings", "uv.lock")


def add_sources(digest: "hashlib._Hash") -> None:
    """Add every file of `SOURCES`, by path and content, to `digest`."""
    for source in SOURCES:
        root = PROJECT_ROOT / source
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())


def run_maintenance_sql(
    statement: str | sql.Composable, parameters=None, *, database: str = "postgres"
) -> list[tuple]:
    """Run `statement` outside a transaction, by default on the server's maintenance database:
    CREATE and DROP DATABASE run outside the databases they touch, VACUUM outside a
    transaction. The rows it returns, if any."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=database,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as maintenance:
        cursor = maintenance.execute(statement, parameters)
        return cursor.fetchall() if cursor.description else []


def database_url(name: str) -> str:
    """The DATABASE_URL of database `name` on the test database's server, for the project's
    processes (a server, the worker) that the tests start."""
    settings = connection.settings_dict
    credentials = urllib.parse.quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(settings["PASSWORD"], safe="")
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{name}"


def copy_database(source: str, name: str) -> None:
    """Create database `name` as a copy of `source`, replacing any left by an interrupted run.

    PostgreSQL copies only a database nobody is connected to: this process's connections are
    closed first (it reconnects on its next query).
    """
    disconnect()
    drop_database(name)
    run_maintenance_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


def vacuum(name: str) -> None:
    """Reclaim the rows left dead in database `name` by the transactions rolled back in it."""
    run_maintenance_sql("VACUUM", database=name)


def drop_database(name: str) -> None:
    run_maintenance_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def databases_named(prefix: str) -> list[str]:
    """The databases on the server whose names start with `prefix`."""
    rows = run_maintenance_sql(
        "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)
    )
    return [name for (name,) in rows]


def comment_database(name: str, comment: str) -> None:
    run_maintenance_sql(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment))
    )


def database_comment(name: str) -> str | None:
    """The comment on database `name`; None if it has none, or there is no such database."""
    rows = run_maintenance_sql(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (name,),
    )
    return rows[0][0] if rows else None


@contextmanager
def connected_to(name: str):
    """Point this process's default connection at database `name` for a while, then back."""
    original = connection.settings_dict["NAME"]
    disconnect()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        disconnect()
        connection.settings_dict["NAME"] = original


def disconnect() -> None:
    """Close this process's connections to the database: its own and the idle ones of its
    pool, which was made for the database the settings named then, and is made again for
    the next one on the next query."""
    connection.close()
    connection.close_pool()
