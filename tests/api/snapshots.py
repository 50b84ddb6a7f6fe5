"""Stored JSON snapshots: a reviewer sees every change to what the API returns as a diff.

A snapshot lives in `tests/api/v1/snapshots/<name>.json`. When a change to the output is
intended, rewrite the snapshots and review the diff before committing:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1

A missing snapshot fails the test (it is never written silently), so a new endpoint's
snapshot is created the same way.
"""

import json
import os
from pathlib import Path

SNAPSHOT_DIR = Path(__file__).parent / "v1" / "snapshots"


def assert_matches_snapshot(name: str, data) -> None:
    path = SNAPSHOT_DIR / f"{name}.json"
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"No snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 to create it."
    expected = path.read_text(encoding="utf-8")
    assert json.loads(text) == json.loads(expected), (
        f"{path.name} differs from the response; if the change is intended, "
        "rewrite it with UPDATE_SNAPSHOTS=1 and review the diff."
    )
