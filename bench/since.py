"""`make bench-since REV=<revision>`: the cold side-effect list with every expansion, read by
this checkout and by an earlier revision of the project, on rows made the same way, in turn.

The target of that read was set against the code of its day ("at least 3x what it is now");
`REV=74ccfc7` is that code. `make bench` has no way to run two revisions, so this does:

- the revision's files (`git archive`) go to .bench/<revision>/, with the environment its own
  lock file gives (`make install`);
- each side gets a scratch database, migrated by its own code and filled by
  `bench/any_revision.py fill` (the demo content and 100 side effects more, as `make bench`
  has them);
- each side reads the list in process through Django's WSGI handler with its production
  settings and its connections reused (the revision's own pool where it has one, else
  `CONN_MAX_AGE`), the response cache emptied before each request: `--turns` turns of
  `--rounds` requests each, the two sides taking turns, so a machine busy to a varying
  degree slows both alike.

It prints the median time of each side's process on the CPU and on the clock, and the ratios.

    python -m bench.since REV [--turns 3] [--rounds 20]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from bench.__main__ import REPO, SIDE_EFFECTS, create_database, database

SCRATCH = REPO / ".bench"
# Copied to SCRATCH with the settings below and run from there, not from bench/: a script's
# own folder comes first on the import path, and bench/'s modules (settings, urls, content)
# are this checkout's, which must not stand in for anything of the revision's.
ANY_REVISION = SCRATCH / "any_revision.py"
# Production settings with connections kept between requests, whatever the revision.
SETTINGS = """from cms.settings.production import *  # noqa: F403
from cms.settings.production import DATABASES

if "pool" not in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["CONN_MAX_AGE"] = None
"""


class Side:
    """One revision's code, environment and database."""

    def __init__(self, label: str, directory: Path, database_url: str, redis_url: str):
        self.label, self.directory = label, directory
        self.env = {
            **os.environ,
            # The revision's code, then SCRATCH, which holds the settings below.
            "PYTHONPATH": os.pathsep.join([str(directory), str(SCRATCH)]),
            "DJANGO_SETTINGS_MODULE": "bench_since_settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "bench-only",
            "ALLOWED_HOSTS": "localhost",
            "ENFORCE_HTTPS": "false",
            "SECURE_COOKIES": "false",
            "API_RATE_LIMIT_ANONYMOUS": "1000000000/minute",
            "LOG_LEVEL": "WARNING",
        }

    def prepare(self) -> None:
        if self.directory != REPO:
            subprocess.run(["make", "install"], cwd=self.directory, check=True)
        create_database(self.env["DATABASE_URL"])
        self.run(["manage.py", "migrate", "--noinput", "--verbosity", "0"])
        self.run([str(ANY_REVISION), "fill"])

    def run(self, arguments: list[str]) -> str:
        return subprocess.run(
            [str(self.directory / ".venv" / "bin" / "python"), *arguments],
            cwd=self.directory,
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout

    def time(self, rounds: int) -> dict:
        return json.loads(self.run([str(ANY_REVISION), "time", SIDE_EFFECTS, str(rounds)]))


def checkout_of(revision: str) -> Path:
    """The revision's files in .bench/<revision>/ (kept for the next run)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout.strip()
    directory = SCRATCH / commit
    if not (directory / "manage.py").exists():
        directory.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=REPO, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(directory)], input=archive.stdout, check=True)
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    base_url, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    earlier = checkout_of(args.revision)
    (SCRATCH / "bench_since_settings.py").write_text(SETTINGS)
    shutil.copyfile(REPO / "bench" / "any_revision.py", ANY_REVISION)
    sides = [
        Side(
            args.revision, earlier, database(base_url, f"ketamine_since_{earlier.name}"), redis_url
        ),
        Side("this checkout", REPO, database(base_url, "ketamine_since_this"), redis_url),
    ]
    for side in sides:
        print(f"Preparing {side.label} (the first run takes a few minutes)", flush=True)
        side.prepare()
    results = {side.label: [] for side in sides}
    for turn in range(args.turns):
        for side in sides:
            results[side.label].append(side.time(args.rounds))
            print(f"turn {turn + 1}, {side.label}: {results[side.label][-1]}", flush=True)

    earlier_runs, these_runs = results.values()
    print(f"\nGET {SIDE_EFFECTS}, cold, median of {args.turns} turns of {args.rounds} requests")
    print("| | CPU ms | clock ms | bytes |")
    print("| --- | ---: | ---: | ---: |")
    for label, runs in results.items():
        cpu = statistics.median(run["cpu"] for run in runs) * 1000
        wall = statistics.median(run["wall"] for run in runs) * 1000
        print(f"| {label} | {cpu:.1f} | {wall:.1f} | {runs[-1]['bytes']:,} |")
    for measure in ("cpu", "wall"):
        ratio = statistics.median(run[measure] for run in earlier_runs) / statistics.median(
            run[measure] for run in these_runs
        )
        print(f"This checkout is {ratio:.2f}x as fast as {args.revision} ({measure}).")


if __name__ == "__main__":
    main()
