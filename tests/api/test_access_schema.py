"""The OpenAPI document tells clients about API keys, rate limits and attribution."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_both_ways_of_sending_a_key_are_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKeyHeader"] == {
        **schemes["ApiKeyHeader"],
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    assert schemes["BearerApiKey"]["scheme"] == "bearer"


def test_every_operation_allows_a_key_or_none_and_documents_401_429_and_ratelimit(schema):
    operations = [
        operation for methods in schema["paths"].values() for operation in methods.values()
    ]
    assert operations
    for operation in operations:
        assert {} in operation["security"]  # anonymous public reads
        responses = operation["responses"]
        assert "application/problem+json" in responses["401"]["content"]
        assert "Retry-After" in responses["429"]["headers"]
        for response in responses.values():
            assert "RateLimit-Remaining" in response["headers"]


def test_items_document_their_attribution(schema):
    attribution = schema["components"]["schemas"]["Attribution"]["properties"]
    assert {"publisher", "url", "license_url", "text", "link_back_required"} <= set(attribution)
    side_effect = schema["components"]["schemas"]["SideEffect"]["properties"]
    assert "attribution" in side_effect
