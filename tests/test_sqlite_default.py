"""The embedded SQLite default of `make run` serves search in the API and the admin, and
stands an editor's save racing the admin's autosave."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_on_sqlite(module: str, database) -> subprocess.CompletedProcess:
    """Run a script module of tests/ with the development settings on an SQLite file."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_search_and_the_manifest_work_on_the_sqlite_default(tmp_path):
    result = run_on_sqlite("tests.sqlite_smoke", tmp_path / "smoke.sqlite3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-4:] == [
        "api search ok",
        "collection search ok",
        "manifest ok",
        "admin search ok",
    ]


@pytest.mark.slow
def test_concurrent_saves_on_the_sqlite_default_wait_for_each_other(tmp_path):
    result = run_on_sqlite("tests.sqlite_concurrency", tmp_path / "concurrency.sqlite3")
    assert result.stdout.splitlines() == ["journal mode wal", "concurrent saves ok"], (
        result.stdout + result.stderr
    )
