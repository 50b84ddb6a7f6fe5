"""`make bench`: the content API side by side with the fastest view this stack can serve, with
Wagtail's own API v2 on the same articles, and through Varnish, in one run; then whether a
list page and a sync grow with the size of the content. Prints ratios, not absolute numbers
(they depend on the machine), and adds them, dated, to bench/results.md.

Everything runs on this machine: gunicorn with the production settings (2 sync workers, as
in the issue that set the targets), PostgreSQL and Redis (DATABASE_URL, REDIS_URL: a scratch
database the bench creates and fills), Varnish with the project's VCL, and the load generator
(`bench/load.py`).

    python -m bench [--scale 100000] [--seconds 5]
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import load
from bench.varnish import MISSING, running_varnish, varnishd

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results.md"
SMALL_SCALE = 1000
ARTICLE = "bench-0"  # one of the base's articles (bench/content.py)
SIDE_EFFECTS = "/api/v1/side-effects/?limit=100&expand=treatment_forms,references,reviewed_by"
# What our article list shows of each article, asked of Wagtail's API v2 too.
WAGTAIL_LIST = (
    "/wagtail-api/v2/pages/?type=content_models.ArticlePage&limit=20"
    "&fields=summary,reviewed_by,last_reviewed_at,next_review_due"
)
# What every request of the load carries, as a browser's or an HTTP library's would.
CLIENT_HEADERS = {"Accept-Encoding": "gzip"}


def environment(database_url: str, **extra) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ENFORCE_HTTPS": "false",
        "SECURE_COOKIES": "false",
        "API_RATE_LIMIT_ANONYMOUS": "1000000000/minute",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def python(arguments: list[str], env: dict) -> str:
    """Run a bench step in a fresh Python; its output is returned, its errors shown."""
    return subprocess.run(
        [sys.executable, *arguments],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout


def database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(url: str, *, template: str | None = None) -> bool:
    """Create the database `url` names unless it exists; whether it was created."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(database(url, "postgres"), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        clause = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{clause}')
        return True


class Server:
    """gunicorn with the bench settings, 2 sync workers, on a free port."""

    def __init__(self, env: dict):
        self.port = _free_port()
        self.log = open(REPO / "bench" / f".gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "cms.wsgi", "--workers", "2",
                "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}",
            ],
            env=env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()
        Path(self.log.name).unlink()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def etag(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.headers["ETag"]


def side_by_side(base_url: str, seconds: float) -> tuple[dict, dict]:
    """Requests per second of each case; the cases' groups."""
    cached = Server(environment(base_url))
    cold = Server(environment(base_url, BENCH_API_CACHE="off"))
    rps = {}

    def measure(label, url, **headers):
        headers = {**CLIENT_HEADERS, **headers}
        rps[label] = load.requests_per_second(url, seconds=seconds, headers=headers)
        print(f"  {label}", flush=True)

    try:
        with urllib.request.urlopen(f"{cold.url}/api/v1/articles/{ARTICLE}/") as response:
            article_id = json.load(response)["id"]
        article_list, article = "/api/v1/articles/?limit=20", f"/api/v1/articles/{ARTICLE}/"
        measure("floor", f"{cached.url}/bench/floor/")
        measure("floor under /api/ (key check, rate limit)", f"{cached.url}/api/bench-floor/")
        measure("Wagtail API v2: article list (20)", cold.url + WAGTAIL_LIST)
        measure("Wagtail API v2: article detail", f"{cold.url}/wagtail-api/v2/pages/{article_id}/")
        measure("cold: article list (20)", cold.url + article_list)
        measure("cold: article detail", cold.url + article)
        measure("cold: side-effect list (100), every expansion", cold.url + SIDE_EFFECTS)
        for path, name in ((article_list, "article list (20)"), (article, "article detail")):
            measure(f"cached: {name}", cached.url + path)
            measure(f"304: {name}", cached.url + path, **{"If-None-Match": etag(cached.url + path)})
        measure("cached: side-effect list (100), every expansion", cached.url + SIDE_EFFECTS)
        if varnishd() is None:
            print(f"  Through Varnish: skipped. {MISSING}")
        else:
            with running_varnish(cached.port) as varnish:
                measure("Varnish: article list (20)", varnish + article_list)
                measure("Varnish: article detail", varnish + article)
                measure("Varnish: side-effect list (100), every expansion", varnish + SIDE_EFFECTS)
    finally:
        cached.stop()
        cold.stop()
    return rps


def ratio_rows(rps: dict) -> list[tuple[str, str, str]]:
    """(case, share of the floor, the comparison that matters for it)."""
    floor = rps["floor"]

    def share(value: float, of: float) -> float | None:
        return value / of if of else None

    compared = {
        "cold: article list (20)": ("Wagtail API v2: article list (20)", "x Wagtail v2's list"),
        "cold: article detail": ("Wagtail API v2: article detail", "x Wagtail v2's detail"),
        "Varnish: article list (20)": ("cached: article list (20)", "x our cached list"),
        "Varnish: article detail": ("cached: article detail", "x our cached detail"),
        "Varnish: side-effect list (100), every expansion": (
            "cached: side-effect list (100), every expansion",
            "x our cached side-effect list",
        ),
        "304: article list (20)": ("cached: article list (20)", "x its cached 200"),
        "304: article detail": ("cached: article detail", "x its cached 200"),
    }
    rows = []
    for label, value in rps.items():
        against = ""
        if label in compared and compared[label][0] in rps:
            other, words = compared[label]
            ratio = share(value, rps[other])
            against = f"{ratio:.2f}{words}" if ratio is not None else f"n/a ({other}: none)"
        of_floor = share(value, floor)
        rows.append((label, f"{of_floor:.1%}" if of_floor is not None else "n/a", against))
    return rows


def scale_run(base_url: str, scale: int) -> dict:
    """Median ms of the scale cases at SMALL_SCALE and at `scale` items."""
    timings = {}
    for total in sorted({SMALL_SCALE, scale}):
        url = database(base_url, f"{urlsplit(base_url).path.lstrip('/')}_{total}")
        create_database(url, template=urlsplit(base_url).path.lstrip("/"))
        started = time.monotonic()
        count = python(["-m", "bench.content", str(total)], environment(url)).split()[-1]
        print(f"  {count} items ({time.monotonic() - started:.0f} s to fill)", flush=True)
        output = python(["-m", "bench.scale"], environment(url, BENCH_API_CACHE="off"))
        timings[total] = json.loads(output.strip().splitlines()[-1])
    return timings


def report(rps: dict, timings: dict, scale: int, seconds: float) -> str:
    lines = [
        f"## {datetime.date.today().isoformat()}, side by side (`make bench`, SCALE={scale})",
        "",
        f"Load: {load.generator()} with {load.CONNECTIONS} connections, {seconds:g} s per case, "
        "against gunicorn with the production settings and 2 sync workers (cold: a second "
        "server without the API's response cache); PostgreSQL, Redis and Varnish on the same "
        "machine. Every request accepts gzip, as browsers and HTTP libraries do: Varnish "
        "sends JSON compressed, the API and the floor send it as it is. "
        "Requests per second as a share of the floor (a constant 1 KB JSON view); "
        "0.0% is a case no request of which finished within the run.",
        "",
        "| case | share of the floor | compared |",
        "| --- | ---: | ---: |",
        *(f"| {label} | {share} | {against} |" for label, share, against in ratio_rows(rps)),
        "",
    ]
    if len(timings) == 2:
        small, large = (timings[key] for key in sorted(timings))
        lines += [
            f"Reading at {scale:,} items against {SMALL_SCALE:,} (in-process, response cache "
            "off, median of 30; the target is under 2x):",
            "",
            f"| case | time at {scale:,} / at {SMALL_SCALE:,} |",
            "| --- | ---: |",
            *(f"| {case} | {large[case] / small[case]:.2f}x |" for case in small),
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10_000, help="items in the large set")
    parser.add_argument("--seconds", type=float, default=5, help="load per case")
    parser.add_argument("--note", default="", help="a line added under the results' heading")
    args = parser.parse_args()
    base_url = os.environ["DATABASE_URL"]

    print("Preparing the bench's content (the first run takes a few minutes)", flush=True)
    create_database(base_url)
    python(["-m", "bench.content", "base"], environment(base_url))
    print("Side by side:", flush=True)
    rps = side_by_side(base_url, args.seconds)
    print(f"Scale: {SMALL_SCALE:,} and {args.scale:,} items", flush=True)
    timings = scale_run(base_url, args.scale)

    text = report(rps, timings, args.scale, args.seconds)
    if args.note:
        heading, _, rest = text.partition("\n\n")
        text = f"{heading}\n\n{args.note}\n\n{rest}"
    print()
    print(text)
    results = RESULTS.read_text()
    title, _, history = results.partition("\n## ")
    RESULTS.write_text(
        f"{title.rstrip()}\n\n{text}\n## {history}" if history else f"{results}\n{text}"
    )


if __name__ == "__main__":
    main()
