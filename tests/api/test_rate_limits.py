"""Rate limits: per key, per address without one, exact across processes, and announced in
the RateLimit header fields of every response."""

import multiprocessing

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from api.authentication import ApiAccessMiddleware
from syndication.enums import RateLimitTier
from tests.factories import SideEffectFactory
from tests.factories.syndication import PartnerFactory, api_key_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/side-effects/"
RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture
def limits(settings):
    """Low limits, with counters from earlier tests forgotten. A day's window: no test lasts
    long enough to see it roll over."""
    cache.clear()
    settings.API_RATE_LIMITS = {"anonymous": "3/day", "standard": "5/day", "premium": "8/day"}
    return settings.API_RATE_LIMITS


@pytest.fixture
def side_effect():
    return SideEffectFactory(slug="nausea")


def test_anonymous_reads_are_limited_per_address(api, limits, side_effect):
    statuses = [api.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.get(URL, REMOTE_ADDR="192.0.2.50").status_code == 200  # another address


def test_429_is_a_problem_with_retry_after_and_ratelimit_headers(api, limits, side_effect):
    for _ in range(3):
        api.get(URL)
    response = api.get(URL)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert 0 < int(response["Retry-After"]) <= 24 * 60 * 60
    assert response["RateLimit-Remaining"] == "0"
    assert response["RateLimit-Reset"] == response["Retry-After"]


def test_ratelimit_headers_count_down_on_200_and_304(api, limits, side_effect):
    first = api.get(URL)
    second = api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and second.status_code == 304
    assert [first["RateLimit-Remaining"], second["RateLimit-Remaining"]] == ["2", "1"]
    for response in (first, second):
        assert response["RateLimit-Limit"] == "3"
        assert response["RateLimit-Policy"] == "3;w=86400"
        assert 0 < int(response["RateLimit-Reset"]) <= 86400


def test_errors_carry_ratelimit_headers_too(api, limits):
    response = api.get("/api/v1/side-effects/no-such-item/")
    assert response.status_code == 404
    assert all(name in response for name in RATE_LIMIT_HEADERS)


def test_a_key_has_its_tiers_limit_apart_from_its_address(api, limits, side_effect):
    premium = {"HTTP_X_API_KEY": api_key_for(PartnerFactory(rate_limit_tier=RateLimitTier.PREMIUM))}
    standard = {"HTTP_X_API_KEY": api_key_for(PartnerFactory())}
    for _ in range(3):
        api.get(URL)  # the address's anonymous quota is spent

    assert api.get(URL, **premium)["RateLimit-Limit"] == "8"
    statuses = [api.get(URL, **standard).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_bad_keys_count_against_the_address(api, limits):
    bad = {"HTTP_X_API_KEY": "kcp_zzzzzzzz_" + "a" * 40}
    statuses = [api.get(URL, **bad).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_is_limited(api, limits, settings, side_effect):
    settings.API_TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; entries before it are the client's to forge.
    for forged in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        api.get(URL, HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.7")
    assert api.get(URL, HTTP_X_FORWARDED_FOR="10.0.0.4, 198.51.100.7").status_code == 429
    assert api.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_ipv6_clients_are_limited_per_64_network(api, limits, side_effect):
    # A client may take any address of its /64: each one is the same client.
    for address in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:fffe"):
        assert api.get(URL, REMOTE_ADDR=address).status_code == 200
    assert api.get(URL, REMOTE_ADDR="2001:db8:1:2:abcd::9").status_code == 429
    assert api.get(URL, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200  # the next /64


def test_an_ipv4_client_seen_through_ipv6_is_its_ipv4_address(api, limits, side_effect):
    for _ in range(3):
        api.get(URL, REMOTE_ADDR="192.0.2.80")
    assert api.get(URL, REMOTE_ADDR="::ffff:192.0.2.80").status_code == 429


@pytest.mark.parametrize(
    "documentation", ["/api/v1/docs/", "/api/v1/docs/?script=", "/api/v1/schema/?format=json"]
)
def test_reading_the_documentation_is_neither_limited_nor_counted(
    api, limits, side_effect, documentation
):
    for _ in range(5):
        assert api.get(documentation).status_code == 200
    assert api.get(URL)["RateLimit-Remaining"] == "2"


def _hammer(barrier, results, requests: int):
    """In a child process: the middleware's own limiter, many requests as fast as it can."""
    middleware = ApiAccessMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    barrier.wait()
    allowed = 0
    for _ in range(requests):
        response = middleware(factory.get(URL, REMOTE_ADDR="203.0.113.9"))
        allowed += response.status_code == 200
    results.put(allowed)


@pytest.mark.slow
def test_two_processes_at_once_never_exceed_the_limit_in_total(settings):
    cache.clear()
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "anonymous": "50/day"}
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=_hammer, args=(barrier, results, 80)) for _ in range(2)]
    for process in processes:
        process.start()
    allowed = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0

    assert sum(allowed) == 50
    assert all(count > 0 for count in allowed)  # both processes took part
