"""A database outage: 503 problem+json with Retry-After, never 500; responses already cached
are still served, since nothing can be published while the database is down (the content
generation is held in Redis). The same with real processes, PostgreSQL stopped and started
again under load: test_outages.py."""

from contextlib import contextmanager

from django.db import connection
from django.test import Client

from tests.databases import disconnect
from tests.factories import SideEffectFactory
from tests.processes import free_port


@contextmanager
def database_unreachable():
    """This process's connection pointed at a port where no PostgreSQL listens."""
    settings = connection.settings_dict
    saved = {"PORT": settings["PORT"], "OPTIONS": settings["OPTIONS"]}
    disconnect()
    options = {**settings["OPTIONS"]}
    if "pool" in options:  # a request waits for a connection this long, then fails
        options["pool"] = {**options["pool"], "timeout": 0.5}
    settings.update(PORT=str(free_port()), OPTIONS=options)
    try:
        yield
    finally:
        disconnect()
        settings.update(saved)


def test_without_a_database_uncached_reads_are_503_and_cached_ones_are_served(
    committed_database,
):
    SideEffectFactory(name="Nausea", slug="nausea")
    client = Client(raise_request_exception=False)
    cached = client.get("/api/v1/side-effects/nausea/")
    assert cached.status_code == 200

    with database_unreachable():
        again = client.get("/api/v1/side-effects/nausea/")
        uncached = client.get("/api/v1/side-effects/")
        ready = client.get("/readyz")
        admin = client.get("/admin/login/")

    assert again.status_code == 200 and again.content == cached.content
    assert uncached.status_code == 503
    assert uncached["Content-Type"] == "application/problem+json"
    assert uncached["Retry-After"] == "5"
    assert uncached.json()["detail"] == "The database cannot be reached; try again shortly."
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "unreachable"
    assert admin.status_code == 503 and admin["Retry-After"]
