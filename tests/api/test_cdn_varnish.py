"""End to end through a real Varnish with the project's VCL: a partner's read is fresh
within a second of a publish, and what the change does not show stays cached.

Varnish is started by the test (deploy/varnish/default.vcl, backend pointed at `live_api`);
without the varnishd binary the test is skipped, saying how to install it.
"""

import gzip
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from bench.varnish import MISSING, running_varnish, varnishd
from tests.factories import FAQFactory, SideEffectFactory

pytestmark = pytest.mark.slow

UNRELATED = ["/api/v1/faqs/unrelated/", "/api/v1/faqs/"]


@pytest.fixture
def varnish(live_api):
    """Varnish in front of `live_api`; its base URL."""
    if varnishd() is None:
        pytest.skip(MISSING)
    with running_varnish(urlsplit(live_api).port) as url:
        yield url


def read(url: str) -> tuple[int, str, dict]:
    """Status, `X-Cache` (HIT or MISS) and JSON body of a GET through Varnish."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["X-Cache"], json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Cache"], {}


def test_a_publish_is_read_through_varnish_within_a_second_and_the_rest_stays_cached(
    varnish, settings
):
    nausea = SideEffectFactory(name="Nausea", slug="nausea")
    FAQFactory(slug="unrelated")
    detail, listing = f"{varnish}/api/v1/side-effects/nausea/", f"{varnish}/api/v1/side-effects/"
    for path in [detail, listing, *(varnish + path for path in UNRELATED)]:
        assert read(path)[:2] == (200, "MISS")
        assert read(path)[:2] == (200, "HIT"), path  # Varnish keeps it (s-maxage)
    settings.CDN_PURGE_URLS = [f"{varnish}/"]

    nausea.name = "Feeling sick"
    nausea.save_revision().publish()  # commits: the purge is sent
    published_at = time.monotonic()

    status, cache, item = read(detail)
    assert time.monotonic() - published_at < 1
    assert (status, cache, item["title"]) == (200, "MISS", "Feeling sick")
    assert read(listing)[2]["results"][0]["title"] == "Feeling sick"
    for path in UNRELATED:
        assert read(varnish + path)[1] == "HIT", path

    nausea.unpublish()

    assert read(detail)[0] == 404
    assert read(listing)[2]["count"] == 0
    for path in UNRELATED:
        assert read(varnish + path)[1] == "HIT", path


def test_varnish_sends_json_gzipped_to_a_client_that_accepts_it_and_plain_to_one_that_does_not(
    varnish,
):
    SideEffectFactory.create_batch(5)
    url = f"{varnish}/api/v1/side-effects/?expand=treatment_forms,references,reviewed_by"
    with urllib.request.urlopen(url, timeout=10) as response:
        plain = response.read()
        assert response.headers["Content-Encoding"] is None
    gzipped_request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})

    with urllib.request.urlopen(gzipped_request, timeout=10) as response:
        compressed = response.read()
        headers = response.headers

    assert (headers["X-Cache"], headers["Content-Encoding"]) == ("HIT", "gzip")
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(compressed) == plain
    assert len(compressed) < len(plain) / 3
    # A client revalidating the compressed copy with its ETag is told it is still current.
    revalidation = urllib.request.Request(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]}
    )
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(revalidation, timeout=10)
    assert not_modified.value.code == 304
