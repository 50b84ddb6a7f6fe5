"""Requests per second a server answers on one address: `wrk -t1 -c8` when installed (`make
wrk`), else a Python load generator (8 threads, keep-alive), which saturates sooner and is
labelled so."""

import re
import shutil
import subprocess
import threading
import time

import urllib3

CONNECTIONS = 8


def generator() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def requests_per_second(url: str, *, seconds: float, headers: dict | None = None) -> float:
    """Requests per second over `seconds`, after a few requests to warm the workers; every
    answer must be a 200 or a 304, else ValueError."""
    headers = headers or {}
    warm(url, headers)
    # No timed warm-up run: a sync worker finishes every request a stopped run left queued,
    # and a slow case would spend the measured run on them.
    run = _wrk if shutil.which("wrk") else _python
    return run(url, seconds, headers)


def warm(url: str, headers: dict, requests: int = 4) -> None:
    """A few requests on each of two connections at once, so that both workers have loaded
    what their first request loads (code, connections) before the clock starts."""
    pool = urllib3.PoolManager(maxsize=2, retries=False, timeout=60)

    def worker() -> None:
        for _ in range(requests):
            pool.request("GET", url, headers=headers)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _wrk(url: str, seconds: float, headers: dict) -> float:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise ValueError(f"{url} answered with errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _python(url: str, seconds: float, headers: dict) -> float:
    pool = urllib3.PoolManager(maxsize=CONNECTIONS, retries=False)
    deadline = time.monotonic() + seconds
    counts, failures = [0] * CONNECTIONS, []

    def worker(index: int) -> None:
        while time.monotonic() < deadline:
            response = pool.request("GET", url, headers=headers, preload_content=True)
            if response.status not in (200, 304):
                failures.append(response.status)
                return
            counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise ValueError(f"{url} answered {failures[0]}")
    return sum(counts) / (time.monotonic() - started)
