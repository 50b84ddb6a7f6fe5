"""The OpenAPI document is the API's contract: valid, complete, and every change reviewed."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

from content_models import collections, enums
from content_models.collections import NAMES, TYPE_NAMES
from tests.api.snapshots import assert_matches_snapshot

from .helpers import FACTORIES

PREVIEW_PATH = "/api/v1/preview/"


@pytest.fixture(scope="module")
def openapi():
    """The document as drf-spectacular generates it from the code (no database, no cache)."""
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def test_schema_generates_with_no_warnings_and_validates(tmp_path):
    # Warnings are counted process-wide; only this generation's count.
    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "schema.yml")


@pytest.mark.django_db
def test_schema_is_generated_without_reading_the_database():
    # The schema generator asks each view for its queryset, with no request; the tests
    # generate the document while they are collected, before the test database exists.
    with CaptureQueriesContext(connection) as queries:
        SchemaGenerator(api_version="v1").get_schema(request=None, public=True)

    assert [query["sql"] for query in queries.captured_queries] == []


def test_schema_documents_only_the_api(openapi):
    assert openapi["paths"]
    assert all(path.startswith("/api/v1/") for path in openapi["paths"]), list(openapi["paths"])


def test_schema_is_a_valid_openapi_document(openapi):
    validate(openapi)


def test_schema_matches_its_snapshot(openapi):
    assert_matches_snapshot("openapi", openapi)


def test_schema_lists_every_collection_with_list_and_detail(openapi):
    for collection in NAMES:
        assert "get" in openapi["paths"][f"/api/v1/{collection}/"], collection
        assert "get" in openapi["paths"][f"/api/v1/{collection}/{{slug}}/"], collection
    assert "get" in openapi["paths"]["/api/v1/"]
    assert "get" in openapi["paths"]["/api/v1/search/"]


def parameters(openapi, path: str) -> dict:
    return {
        parameter["name"]: parameter for parameter in openapi["paths"][path]["get"]["parameters"]
    }


def test_schema_lists_every_filter_value(openapi):
    side_effect_filters = parameters(openapi, "/api/v1/side-effects/")
    assert side_effect_filters["frequency"]["schema"]["items"]["enum"] == sorted(
        enums.Frequency.values
    )
    assert side_effect_filters["timing"]["schema"]["items"]["enum"] == sorted(enums.Timing.values)
    rule_filters = parameters(openapi, "/api/v1/eligibility-rules/")
    assert rule_filters["kind"]["schema"]["items"]["enum"] == sorted(enums.RuleKind.values)
    route = parameters(openapi, "/api/v1/treatment-forms/")["route"]
    assert route["schema"]["items"]["enum"] == sorted(enums.Route.values)


def test_schema_states_the_bounds_of_limit_and_offset(openapi):
    for path in ("/api/v1/side-effects/", "/api/v1/search/"):
        limit = parameters(openapi, path)["limit"]["schema"]
        assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 100, 20)
        assert parameters(openapi, path)["offset"]["schema"]["minimum"] == 0


def query_parameters(openapi) -> list[tuple[str, dict]]:
    return [
        (f"{method} {path} {parameter['name']}", parameter)
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
        for parameter in operation["parameters"]
        if parameter["in"] == "query"
    ]


def test_schema_says_no_parameter_may_be_empty_or_hold_a_nul_character(openapi):
    for where, parameter in query_parameters(openapi):
        schema = parameter["schema"]
        if schema["type"] == "array":
            assert schema["minItems"] >= 1, where
            schema = schema["items"]
        if schema["type"] != "string" or "enum" in schema:
            continue  # a number, or one of the values listed
        assert schema["minLength"] >= 1, where
        assert "format" in schema or not re.search(schema["pattern"], "a\x00b"), where


def test_schema_states_the_bounds_of_a_search(openapi):
    searches = [
        parameter["schema"]
        for _where, parameter in query_parameters(openapi)
        if parameter["name"] in ("q", "search")
    ]
    assert len(searches) == 1 + len(NAMES)
    for schema in searches:
        assert (schema["minLength"], schema["maxLength"]) == (1, 200)
        pattern = re.compile(schema["pattern"])
        assert pattern.search(" ".join(["ketamine"] * 32))
        assert not pattern.search(" ".join(["ketamine"] * 33))
        assert not pattern.search(" - ")


@pytest.mark.django_db
def test_schema_states_what_a_sync_cursor_looks_like_and_that_it_excludes_locale(api, openapi):
    sync = parameters(openapi, "/api/v1/sync/")
    issued = api.get("/api/v1/sync/", {"limit": 1}).json()["next_cursor"]

    assert re.search(sync["cursor"]["schema"]["pattern"], issued)
    assert not re.search(sync["cursor"]["schema"]["pattern"], "not a cursor")
    assert "Not with `locale`" in sync["cursor"]["description"]
    assert "not with `cursor`" in sync["locale"]["description"]


def test_schema_states_what_a_year_is(openapi):
    year = parameters(openapi, "/api/v1/references/")["year"]["schema"]
    assert (year["type"], year["minimum"], year["maximum"]) == ("integer", 1, 9999)


def comma_separated_values(parameter: dict) -> list[str]:
    """The values of a parameter that takes them comma-separated, as OpenAPI says so."""
    assert (parameter["style"], parameter["explode"]) == ("form", False), parameter
    assert parameter["schema"]["type"] == "array"
    return parameter["schema"]["items"]["enum"]


def test_schema_lists_the_values_of_fields_expand_and_ordering(openapi):
    side_effects = parameters(openapi, "/api/v1/side-effects/")
    assert comma_separated_values(side_effects["ordering"]) == [
        term
        for name in collections.by_name("side-effects").viewset.ordering_fields
        for term in (name, f"-{name}")
    ]
    serializer = collections.by_name("side-effects").serializer
    assert comma_separated_values(side_effects["fields"]) == list(serializer.Meta.fields)
    assert comma_separated_values(side_effects["expand"]) == serializer.expandable_fields()
    # A list leaves out an article's body, and so does not offer it.
    article_list = comma_separated_values(parameters(openapi, "/api/v1/articles/")["fields"])
    article = comma_separated_values(parameters(openapi, "/api/v1/articles/{slug}/")["fields"])
    assert set(article) - set(article_list) == {"body"}
    # References and reviewers have no relation to expand.
    assert "expand" not in parameters(openapi, "/api/v1/references/")
    search_type = parameters(openapi, "/api/v1/search/")["type"]
    assert comma_separated_values(search_type) == TYPE_NAMES


def test_schema_offers_every_content_language_as_locale(openapi):
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    locales = [
        parameter["schema"]
        for operations in openapi["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "locale"
    ]
    assert len(locales) > len(NAMES)
    assert all(locale["enum"] == codes for locale in locales)
    assert all(locale["default"] == settings.LANGUAGE_CODE for locale in locales)


def test_schema_describes_a_search_hit_exactly(openapi):
    hit = openapi["components"]["schemas"]["SearchHit"]
    item_type = openapi["components"]["schemas"]["ItemTypeEnum"]
    assert hit["properties"]["type"] == {"$ref": "#/components/schemas/ItemTypeEnum"}
    assert item_type["enum"] == TYPE_NAMES
    for name in ("id", "slug", "title", "url", "locale", "last_published_at"):
        assert name in hit["required"]
        assert not hit["properties"][name].get("nullable"), name


@pytest.mark.django_db
def test_api_accepts_every_value_the_schema_offers_comma_separated(api, openapi):
    # Each collection has one item, so that its detail answers.
    for collection, factory in FACTORIES.items():
        factory(slug=f"one-{collection}")
    checked = set()
    for path, operations in openapi["paths"].items():
        if path == PREVIEW_PATH or "get" not in operations:
            continue  # its fields depend on the item its token names: no list to offer
        collection = path.split("/")[3]
        url = path.replace("{slug}", f"one-{collection}")
        query = {"q": "ketamine"} if path == "/api/v1/search/" else {}
        for parameter in operations["get"].get("parameters", []):
            if parameter.get("explode") is False:
                values = ",".join(comma_separated_values(parameter))
                response = api.get(url, {**query, parameter["name"]: values})
                assert response.status_code == 200, (url, parameter["name"], response.content)
                checked.add(parameter["name"])
    assert checked == {"fields", "expand", "ordering", "type"}


def test_schema_lists_every_field_of_every_item(openapi):
    for collection in collections.COLLECTIONS:
        serializer = collection.serializer
        component = openapi["components"]["schemas"][serializer.__name__.removesuffix("Serializer")]
        assert list(component["properties"]) == list(serializer.Meta.fields), serializer


@pytest.mark.parametrize("path", ["/api/v1/side-effects/", "/api/v1/search/", "/api/v1/"])
def test_schema_documents_errors_of_a_list_as_problem_json(openapi, path):
    responses = openapi["paths"][path]["get"]["responses"]
    for status in ("400", "406"):
        assert list(responses[status]["content"]) == ["application/problem+json"]


def test_schema_documents_an_unknown_slug_as_a_404_problem(openapi):
    responses = openapi["paths"]["/api/v1/side-effects/{slug}/"]["get"]["responses"]
    assert list(responses["404"]["content"]) == ["application/problem+json"]
    assert set(responses["200"]["content"]) == {"application/json", "application/ld+json"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "headers"), [("?format=json", {}), ("", {"HTTP_ACCEPT": "application/json"})]
)
def test_schema_is_served_as_json(api, openapi, query, headers):
    cache.clear()  # a response cached by an earlier run of other code would hide a change
    response = api.get(f"/api/v1/schema/{query}", **headers)
    assert response.status_code == 200
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in {"application/json", "application/vnd.oai.openapi+json"}
    assert response.json() == openapi


def test_every_read_documents_its_validators_and_the_304_it_can_answer(openapi):
    for path, operations in openapi["paths"].items():
        if path == PREVIEW_PATH or "get" not in operations:
            continue  # never stored: see below (the screener's evaluation too)
        operation = operations["get"]
        header_parameters = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert {"If-None-Match", "If-Modified-Since"} <= header_parameters, path
        assert {"ETag", "Last-Modified"} <= set(operation["responses"]["200"]["headers"]), path
        assert "304" in operation["responses"], path


def test_the_preview_is_documented_as_never_stored(openapi):
    operation = openapi["paths"][PREVIEW_PATH]["get"]
    token = next(p for p in operation["parameters"] if p["name"] == "token")
    assert token["required"]
    assert "Cache-Control" in operation["responses"]["200"]["headers"]
    assert "ETag" not in operation["responses"]["200"]["headers"]
    assert "304" not in operation["responses"]
    assert {"403", "404"} <= set(operation["responses"])


@pytest.mark.django_db
def test_every_read_documents_the_formats_it_accepts_in_the_query(openapi, api):
    for path, operations in openapi["paths"].items():
        for operation in operations.values():
            formats = next(p for p in operation["parameters"] if p["name"] == "format")
            assert "json" in formats["schema"]["enum"], path
    assert api.get("/api/v1/side-effects/", {"format": "json"}).status_code == 200


def test_the_screeners_evaluation_is_documented_as_never_stored_with_examples(openapi):
    operation = openapi["paths"]["/api/v1/screening/evaluate/"]["post"]
    assert "Cache-Control" in operation["responses"]["200"]["headers"]
    assert "304" not in operation["responses"]
    assert set(operation["requestBody"]["content"]["application/json"]["examples"]) == {
        "English",
        "Spanish",
    }
    assert set(operation["responses"]["200"]["content"]["application/json"]["examples"]) == {
        "English",
        "Spanish",
    }
