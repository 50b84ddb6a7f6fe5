"""The embedded SQLite default of `make run` serves search in the API and the admin."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_search_works_on_the_sqlite_default(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'smoke.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-3:] == [
        "api search ok",
        "collection search ok",
        "admin search ok",
    ]
