"""The bench's pieces configure and answer (`make bench` itself is run by hand: timings belong
in bench/results.md, not in tests)."""

import re

import pytest
import yaml
from django.conf import settings as project_settings
from wagtail.models import Site

from bench import __main__ as side_by_side
from bench.varnish import COMPOSE_BACKEND, REPO, VCL, compile_vcl, varnishd, vcl_for
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_the_vcl_compiles_with_a_local_backend():
    if varnishd() is None:
        pytest.skip("varnishd not found: `make varnish` installs it")
    result = compile_vcl(vcl_for("127.0.0.1", 8000))
    assert result.returncode == 0, result.stderr[-2000:]


def test_compose_runs_varnish_with_the_vcl_in_front_of_web():
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    varnish = services["varnish"]
    assert f"./{VCL.relative_to(REPO)}:/etc/varnish/default.vcl:ro" in varnish["volumes"]
    assert "web" in varnish["depends_on"]
    # The VCL's backend is the web service, on the port it serves.
    assert COMPOSE_BACKEND == ('.host = "web";', '.port = "8000";')
    assert any(port.endswith(":8000") for port in services["web"]["ports"])
    assert services["web"]["environment"]["CDN_PURGE_URLS"].endswith("http://varnish:80/}")


def test_the_cold_bench_leaves_out_a_response_cache_the_project_has():
    # Read, not imported: the bench's settings are production's, which refuse to load here.
    text = (REPO / "bench" / "settings.py").read_text()
    assert re.search(r'RESPONSE_CACHE = "([^"]+)"', text)[1] in project_settings.MIDDLEWARE


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"


def test_the_floor_answers_constant_json_without_a_query(
    client, bench_urls, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert len(response.content) > 1000 and response.json()["items"]


def test_wagtail_api_v2_serves_the_projects_articles_side_by_side_with_ours(client, bench_urls):
    article = ArticlePageFactory(slug="side-by-side")
    # Wagtail's API serves the pages of a site: the articles' section is the site's root, as
    # the demo content makes it.
    Site.objects.filter(is_default_site=True).update(root_page=article.get_parent())
    wagtail = client.get(side_by_side.WAGTAIL_LIST)
    assert wagtail.status_code == 200, wagtail.content[:500]
    [item] = wagtail.json()["items"]
    assert item["id"] == article.pk and item["summary"] == article.summary
    detail = client.get(f"/wagtail-api/v2/pages/{article.pk}/")
    assert detail.status_code == 200 and "body" in detail.json()
    assert client.get("/api/v1/articles/side-by-side/").json()["id"] == article.pk


def test_the_report_gives_ratios_and_says_when_a_case_never_answered():
    rows = side_by_side.ratio_rows(
        {
            "floor": 1000.0,
            "cached: article list (20)": 500.0,
            "Varnish: article list (20)": 5000.0,
            "Wagtail API v2: article detail": 0.0,
            "cold: article detail": 40.0,
        }
    )
    assert ("Varnish: article list (20)", "500.0%", "10.00x our cached list") in rows
    assert ("cached: article list (20)", "50.0%", "") in rows
    assert rows[-1][2].startswith("n/a")
