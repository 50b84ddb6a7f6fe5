"""The OpenAPI document is the API's contract: valid, complete, and every change reviewed."""

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def openapi():
    """The document as drf-spectacular generates it from the code (no database, no cache)."""
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def test_schema_generates_with_no_warnings_and_validates(tmp_path):
    # Warnings are counted process-wide; only this generation's count.
    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "schema.yml")


def test_schema_documents_only_the_api(openapi):
    assert openapi["paths"]
    assert all(path.startswith("/api/v1/") for path in openapi["paths"]), list(openapi["paths"])
