"""Redis is a cache and a counter, not a point of failure: with Redis unreachable (a port
nothing listens on), the API serves from the database, rate limits fail open or closed as
the settings say, and a warning is logged once per interval, not per request.

The same with real processes, Redis stopped and started again under load: test_outages.py.
"""

import logging

import pytest

from tests.factories import SideEffectFactory
from tests.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_unreachable(settings):
    """The default cache pointed, for this test, at a port where no Redis listens."""
    address = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": address}}


@pytest.fixture
def nausea():
    return SideEffectFactory(name="Nausea", slug="nausea")


def test_reads_are_served_from_the_database_when_redis_cannot_be_reached(
    api, nausea, redis_unreachable
):
    for path in ("/api/v1/side-effects/", "/api/v1/side-effects/nausea/", "/readyz"):
        response = api.get(path)
        assert response.status_code == 200, path
    assert api.get("/api/v1/side-effects/nausea/").json()["title"] == "Nausea"
    assert api.get("/readyz").json()["checks"] == {"database": "ok", "redis": "unreachable"}


def test_rate_limits_fail_open_by_default_without_a_count_to_report(
    api, nausea, redis_unreachable, settings
):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "anonymous": "1/day"}
    responses = [api.get("/api/v1/side-effects/") for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert "RateLimit-Remaining" not in responses[0]


def test_rate_limits_fail_closed_with_503_when_the_settings_say_so(
    api, nausea, redis_unreachable, settings
):
    settings.API_RATE_LIMIT_FAILURE_MODE = "closed"
    response = api.get("/api/v1/side-effects/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) >= 1


def test_an_unreachable_redis_is_logged_once_per_interval_not_per_request(
    api, nausea, redis_unreachable, settings, caplog
):
    settings.REDIS_RETRY_INTERVAL = 0  # try Redis at every request
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        for _ in range(5):
            assert api.get("/api/v1/side-effects/").status_code == 200
    assert len([r for r in caplog.records if "Redis cannot be reached" in r.message]) == 1
