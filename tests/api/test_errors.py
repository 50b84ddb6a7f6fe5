"""Bad input gets a 400 naming the problem, and every error is RFC 9457 problem+json."""

import json
import sys

import jsonschema_rs
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from api.schema import search_words_schema
from tests.factories import SideEffectFactory

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int, parameter: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    if parameter:
        assert parameter in body["errors"], body
        assert parameter in body["detail"]
    return body


# `?limit=` and `?offset=`, as every list and search reads them: whole numbers in ASCII
# digits within bounds, nothing Python's int() would also read.
BAD_PAGING = [
    ("limit=101", "limit"),
    ("limit=-1", "limit"),
    ("limit=0", "limit"),
    ("limit=ten", "limit"),
    ("limit=5_0", "limit"),
    ("limit=%2050", "limit"),
    ("limit=%2B50", "limit"),
    ("limit=%D9%A5%D9%A0", "limit"),  # Arabic-Indic digits for 50
    ("limit=%EF%BC%95", "limit"),  # a fullwidth 5
    ("offset=-5", "offset"),
    ("offset=first", "offset"),
    ("offset=1_0", "offset"),
    ("offset=10%20", "offset"),
    ("offset=" + "9" * 5000, "offset"),  # more digits than int() converts
]
# What every collection's list takes the same way.
BAD_LIST_PARAMETERS = [
    *BAD_PAGING,
    ("colour=blue", "colour"),
    ("ordering=colour", "ordering"),
    ("ordering=-colour,title", "ordering"),
    ("published_since=yesterday", "published_since"),
    ("published_since=9999-12-31T23:59:59-23:59", "published_since"),
    ("fields=title,colour", "fields"),
    ("expand=colour", "expand"),
    ("locale=fr", "locale"),
]
# Each collection's own filters.
BAD_FILTERS = {
    "side-effects": [
        ("review_due_before=next-week", "review_due_before"),
        ("review_due_after=2026-13-45", "review_due_after"),
        ("frequency=sometimes", "frequency"),
    ],
    "treatment-forms": [("route=rectal", "route"), ("setting=garden", "setting")],
    "eligibility-rules": [("kind=maybe", "kind"), ("outcome=perhaps", "outcome")],
    "faqs": [("topic=weather", "topic")],
}


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        *(
            (f"/api/v1/{collection}/", query, parameter)
            for collection, filters in BAD_FILTERS.items()
            for query, parameter in BAD_LIST_PARAMETERS + filters
        ),
        *(("/api/v1/search/", f"q=x&{query}", parameter) for query, parameter in BAD_PAGING),
        *(("/api/v1/manifest/", query, parameter) for query, parameter in BAD_PAGING),
        *(
            ("/api/v1/sync/", query, parameter)
            for query, parameter in BAD_PAGING
            if parameter == "limit"  # sync pages by cursor, not offset
        ),
    ],
)
def test_bad_list_parameter_is_a_400_naming_it(api, path, query, parameter):
    assert_problem(api.get(f"{path}?{query}"), 400, parameter)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/side-effects/?search=a%00b", "search"),
        ("/api/v1/side-effects/?reviewed_by=a%00b", "reviewed_by"),
        ("/api/v1/search/?q=a%00b", "q"),
    ],
)
def test_null_character_in_a_parameter_is_a_400_naming_it(api, path, parameter):
    assert_problem(api.get(path), 400, parameter)


def test_null_character_in_a_slug_is_a_404(api):
    assert_problem(api.get("/api/v1/side-effects/a%00b/"), 404)


def test_published_since_accepts_any_utc_offset(api):
    # PostgreSQL refuses offsets over 15:59, which ISO 8601 allows.
    response = api.get("/api/v1/side-effects/?published_since=2020-01-01T00:00:00%2B23:00")
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["2019.5", "2_019", " 2019", "٢٠١٩", "-2019", "0", "10000"])
def test_year_that_is_not_written_in_digits_is_a_400(api, year):
    assert_problem(api.get("/api/v1/references/", {"year": year}), 400, "year")


def test_list_only_parameter_on_a_detail_is_a_400(api):
    SideEffectFactory(slug="nausea")
    assert_problem(api.get("/api/v1/side-effects/nausea/?limit=5"), 400, "limit")


def test_article_body_is_not_offered_in_lists(api):
    assert_problem(api.get("/api/v1/articles/?fields=body"), 400, "fields")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("", "q"), ("q=%20", "q"), ("q=x&type=colour", "type"), ("q=x&page=2", "page")],
)
def test_bad_search_parameter_is_a_400(api, query, parameter):
    assert_problem(api.get(f"/api/v1/search/?{query}"), 400, parameter)


# Search terms are bounded in words and characters (`api/query_parameters.py`).
SEARCHES = [("/api/v1/search/", "q"), ("/api/v1/side-effects/", "search")]
TOO_MUCH_TO_SEARCH = {
    "1,000 words": " ".join(["ketamine"] * 1000),
    "33 words": " ".join(f"w{number}" for number in range(33)),
    "33 words joined by hyphens": "-".join(f"w{number}" for number in range(33)),
    "201 characters": "k" * 201,
    "no word": " - ",
}


@pytest.mark.parametrize(("path", "parameter"), SEARCHES)
@pytest.mark.parametrize("words", TOO_MUCH_TO_SEARCH.values(), ids=TOO_MUCH_TO_SEARCH.keys())
def test_search_past_its_bounds_is_a_400_naming_the_parameter(api, path, parameter, words):
    body = assert_problem(api.get(path, {parameter: words}), 400, parameter)
    assert "32 words" in body["errors"][parameter][0]


@pytest.mark.parametrize(("path", "parameter"), SEARCHES)
@pytest.mark.parametrize(
    "words",
    [
        " ".join(f"w{number}" for number in range(32)),
        "-".join(f"w{number}" for number in range(32)),
        "k" * 200,
    ],
    ids=["32 words", "32 words joined by hyphens", "200 characters"],
)
def test_search_at_its_bounds_is_answered(api, path, parameter, words):
    assert len(words) <= 200
    assert api.get(path, {parameter: words}).status_code == 200


# Python's whitespace (what `\s` matches in Python: `str.isspace`), on which the search
# backend splits words, with hyphens; and U+FEFF, on which it does not. `\s` in the regex
# dialects that read the OpenAPI document differs on several of these.
SEPARATORS_OR_NOT = [
    *(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()),
    "-",
    "\ufeff",
]


@pytest.mark.parametrize("character", SEPARATORS_OR_NOT, ids=lambda c: f"U+{ord(c):04X}")
def test_the_document_and_the_api_agree_on_what_separates_the_words_of_a_search(api, character):
    # As schemathesis and other JSON Schema validators read the documented pattern.
    documented = jsonschema_rs.validator_for(search_words_schema()).is_valid(character)
    answered = api.get("/api/v1/search/", {"q": character}).status_code
    assert answered == (200 if documented else 400)
    assert documented is (character == "\ufeff")


def every_query_parameter() -> list[tuple[str, str, str]]:
    """(method, address, name) of every query parameter the OpenAPI document lists for any
    operation, a detail's address with a slug no item has."""
    document = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return [
        (method, path.replace("{slug}", "no-such-item"), parameter["name"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in operation["parameters"]
        if parameter["in"] == "query"
    ]


@pytest.mark.parametrize(("method", "path", "parameter"), every_query_parameter())
def test_an_empty_parameter_is_a_400_naming_it_never_taken_as_absent(api, method, path, parameter):
    response = api.generic(method.upper(), f"{path}?{parameter}=", "{}", "application/json")
    assert_problem(response, 400, parameter)


@pytest.mark.parametrize(
    "query", ["fields=,", "expand=%20,", "ordering=,,", "type=,"], ids=lambda query: query
)
def test_a_comma_separated_parameter_naming_nothing_is_a_400(api, query):
    path = "/api/v1/search/?q=x&" if query.startswith("type") else "/api/v1/side-effects/?"
    assert_problem(api.get(f"{path}{query}"), 400, query.split("=")[0])


def test_unknown_slug_is_a_404(api):
    body = assert_problem(api.get("/api/v1/side-effects/no-such-thing/"), 404)
    assert "no-such-thing" in body["detail"]


def test_unknown_address_under_the_api_is_a_404_problem(api):
    assert_problem(api.get("/api/v1/colours/"), 404)
    assert_problem(api.get("/api/v9/"), 404)


def test_post_to_an_unknown_address_is_a_404_problem_despite_csrf_checks():
    # Django's test client skips CSRF checks unless told otherwise; a browser's would not.
    client = Client(enforce_csrf_checks=True)
    assert_problem(client.post("/api/v1/nowhere/"), 404)


def test_host_not_served_is_a_400_problem(api):
    assert_problem(api.get("/api/v1/", HTTP_HOST="attacker.example"), 400)


def test_host_not_served_outside_the_api_is_django_page(client):
    response = client.get("/healthz", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_permission_denied_before_any_view_is_a_403_problem(api, monkeypatch):
    def refuse(request):
        raise PermissionDenied

    monkeypatch.setattr("api.authentication.authenticate", refuse)
    assert_problem(api.get("/api/v1/"), 403)


def test_wrong_method_is_a_405_with_allow(api):
    response = api.post("/api/v1/side-effects/", {}, format="json")
    assert_problem(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/side-effects/", "/api/v1/side-effects/nausea/", "/api/v1/manifest/"],
)
def test_wrong_method_is_a_405_whatever_the_query_says(api, path):
    # The method is wrong before any parameter is: a list parameter on a detail, or an
    # unknown one, does not turn the 405 into a 400.
    response = api.generic("TRACE", f"{path}?limit=5&colour=blue")
    assert_problem(response, 405)
    assert "GET" in response["Allow"]


def test_unacceptable_media_type_is_a_406_problem(api):
    response = api.get("/api/v1/side-effects/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"


def test_unexpected_error_is_a_500_problem(client, monkeypatch, settings):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("api.v1.endpoints.base.live_items", broken)
    cache.clear()  # an earlier test may have cached this list for the same (empty) content
    client.raise_request_exception = False
    response = client.get("/api/v1/side-effects/")
    assert_problem(response, 500)
    assert "boom" not in response.content.decode()
