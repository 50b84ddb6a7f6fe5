"""The embedded SQLite default of `make run` serves search in the API and the admin, and
stands an editor's save racing the admin's autosave."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import PROJECT_ROOT, add_sources

# Migrated SQLite files kept between runs, one per state of what migrating runs
# (`databases.SOURCES`): migrating one takes half a minute, nearly all of it Django
# rendering the models' states.
MIGRATED = PROJECT_ROOT / ".pytest-sqlite"


def run_on_sqlite(arguments: list[str], database: Path) -> subprocess.CompletedProcess:
    """Run Python (a script module of tests/, or manage.py) with the development settings on
    an SQLite file."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def migrated_sqlite(database: Path) -> None:
    """An SQLite file at `database` that `make run`'s migrations made: a copy of the one kept
    for this state of the project, made first if there is none."""
    state = hashlib.sha256()
    add_sources(state)
    kept = MIGRATED / f"{state.hexdigest()[:16]}.sqlite3"
    if not kept.exists():
        MIGRATED.mkdir(exist_ok=True)
        made = MIGRATED / f"{kept.stem}.{os.getpid()}.tmp"
        result = run_on_sqlite(["manage.py", "migrate", "--verbosity", "0"], made)
        assert result.returncode == 0, result.stdout + result.stderr
        os.replace(made, kept)  # whole or not at all, should two runs make it at once
    shutil.copyfile(kept, database)


@pytest.mark.slow
def test_search_and_the_manifest_work_on_the_sqlite_default(tmp_path):
    migrated_sqlite(tmp_path / "smoke.sqlite3")
    result = run_on_sqlite(["-m", "tests.sqlite_smoke"], tmp_path / "smoke.sqlite3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-4:] == [
        "api search ok",
        "collection search ok",
        "manifest ok",
        "admin search ok",
    ]


@pytest.mark.slow
def test_concurrent_saves_on_the_sqlite_default_wait_for_each_other(tmp_path):
    result = run_on_sqlite(["-m", "tests.sqlite_concurrency"], tmp_path / "concurrency.sqlite3")
    assert result.stdout.splitlines() == ["journal mode wal", "concurrent saves ok"], (
        result.stdout + result.stderr
    )
