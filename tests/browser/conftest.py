"""Fixtures for the browser tests: the project served by gunicorn on a committed database, a
public site's preview page, and a headless Chromium driven by Playwright.

Playwright drives the system's Chromium (it cannot download browsers of its own here); `make
test` installs Chromium when it can. Without it the browser tests skip, saying how to get it.
"""

import os
import shutil
import sys
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright

from tests.processes import (
    free_port,
    serve_in_thread,
    server_environment,
    start,
    stop,
    wait_until_serving,
)

# A fresh, quiet browser: nothing fetched in the background, nothing kept between runs (each
# test gets a new empty profile directory).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    "The browser tests need Chromium, which was not found. Install it with "
    "`apt-get install chromium` (Debian/Ubuntu; `make test` does this when run as root), "
    "or set CHROMIUM=/path/to/chromium."
)

# The public site's preview page: it reads the draft its token names from the API and shows
# the title, as a front end would render the whole item.
FRONT_END_PREVIEW = """<!doctype html>
<html><head><meta charset="utf-8"><title>Clinic site preview</title></head>
<body><h1 id="title">Loading the draft</h1>
<script>
  const token = new URLSearchParams(location.search).get("token");
  fetch("%(api)s/api/v1/preview/?token=" + encodeURIComponent(token))
    .then((response) => response.json())
    .then((item) => { document.getElementById("title").textContent = item.title; });
</script></body></html>
"""


@dataclass(frozen=True)
class Site:
    url: str  # the project: admin, API and docs
    front_end_url: str  # the public site whose preview page the admin shows


@pytest.fixture(scope="session")
def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path or not os.access(path, os.X_OK):
        pytest.skip(NO_CHROMIUM)
    return path


def serve_front_end(api_url: str) -> ThreadingHTTPServer:
    page = (FRONT_END_PREVIEW % {"api": api_url}).encode()

    class PreviewPage(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), PreviewPage)
    return serve_in_thread(server)


@pytest.fixture
def site(chromium, committed_database, tmp_path):
    """The project served by gunicorn on `committed_database`, with a public site configured
    (a page of this test process) so that the admin's preview shows it."""
    url = f"http://127.0.0.1:{free_port()}"
    front_end = serve_front_end(url)
    front_end_url = f"http://127.0.0.1:{front_end.server_address[1]}"
    environment = {
        **server_environment(committed_database),
        "PUBLIC_SITE_BASE_URL": front_end_url,
        # Plain HTTP on this machine: cookies marked Secure would not be sent back.
        "SECURE_COOKIES": "false",
    }
    log = tmp_path / "server.log"
    bind = url.removeprefix("http://")
    process = start(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", bind, "--threads", "4"],
        log,
        environment,
    )
    try:
        wait_until_serving(process, f"{url}/healthz", log)
        yield Site(url=url, front_end_url=front_end_url)
    finally:
        stop(process)
        front_end.shutdown()


@pytest.fixture
def browser(chromium, tmp_path, monkeypatch):
    """A headless Chromium with a new, empty profile: a browser context to open pages in."""
    # Playwright's synchronous API runs an event loop in this thread, which makes Django
    # refuse database access from it; the loop is Playwright's own, and the test's queries do
    # not run in it (as Playwright's and pytest-django's documentation advise).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()
