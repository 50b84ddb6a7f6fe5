"""How the OpenAPI document is generated (drf-spectacular hooks).

Only the content API is documented. API keys, rate limits and their errors come from
middleware (api/authentication.py), and validators and conditional requests from the response
cache (api/caching.py), rather than from any view, so they are added here, once, after
drf-spectacular has described the views.
"""

from .errors import PROBLEM_CONTENT_TYPE
from .query_parameters import SEARCH_MAX_LENGTH, SEARCH_PATTERN

# How OpenAPI describes a query parameter that takes comma-separated values (`?fields=a,b`):
# an array, serialized in the form style without exploding it into repeated parameters.
# https://spec.openapis.org/oas/v3.0.3#style-values
COMMA_SEPARATED = {"style": "form", "explode": False}


def comma_separated_schema(values) -> dict:
    """The schema of a comma-separated parameter that takes any of `values`."""
    return {"type": "array", "items": {"type": "string", "enum": list(values)}}


def search_words_schema() -> dict:
    """The schema of a search parameter (`q`, `search`): 1 to `SEARCH_MAX_WORDS` words (the
    pattern, which also refuses a NUL character) in at most `SEARCH_MAX_LENGTH` characters."""
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": SEARCH_MAX_LENGTH,
        "pattern": SEARCH_PATTERN,
    }


# A string with no NUL character, which `query_parameters.reject_unknown` refuses everywhere
# (PostgreSQL text cannot hold one).
NO_NUL_PATTERN = r"^[^\x00]*$"


SECURITY_SCHEMES = {
    "ApiKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "A partner's API key (`kcp_...`), from the admin's Syndication menu.",
    },
    "BearerApiKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "The same API key, sent as `Authorization: Bearer kcp_...`.",
    },
}
# Either scheme, or none at all: anonymous public reads are allowed at a lower limit.
SECURITY = [{"ApiKeyHeader": []}, {"BearerApiKey": []}, {}]

INTEGER = {"type": "integer", "minimum": 0}
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests allowed in the current window (draft-ietf-httpapi-"
        "ratelimit-headers-06), per API key or, without one, per client address.",
        "schema": INTEGER,
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": INTEGER,
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window ends and the quota is renewed.",
        "schema": INTEGER,
    },
    "RateLimit-Policy": {
        "description": "The limit and the window's length in seconds, e.g. `60;w=60`.",
        "schema": {"type": "string"},
    },
}
RETRY_AFTER = {
    "description": "Seconds to wait before the next request.",
    "schema": INTEGER,
}


def only_api_endpoints(endpoints):
    """Keep the content API's endpoints only: the document is its contract, and the Wagtail
    admin's internal API and the health probes are not part of it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def problem_response(description: str, **headers) -> dict:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "headers": headers,
    }


def document_access_control(result, generator, request, public):
    """drf-spectacular postprocessing hook: security schemes, 401 and 429 responses, and the
    RateLimit headers on every response of every operation."""
    components = result.setdefault("components", {})
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    components.setdefault("headers", {}).update(RATE_LIMIT_HEADERS)
    rate_limit_refs = {
        name: {"$ref": f"#/components/headers/{name}"} for name in RATE_LIMIT_HEADERS
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation["security"] = SECURITY
            responses = operation.setdefault("responses", {})
            responses.setdefault(
                "401",
                problem_response(
                    "The API key sent is malformed, unknown, revoked or expired.",
                    **{"WWW-Authenticate": {"schema": {"type": "string"}}},
                ),
            )
            responses.setdefault(
                "429",
                problem_response(
                    "Rate limit reached: wait `Retry-After` seconds.",
                    **{"Retry-After": RETRY_AFTER},
                ),
            )
            for response in responses.values():
                response.setdefault("headers", {}).update(rate_limit_refs)
    return result


VALIDATOR_HEADERS = {
    "ETag": {
        "description": "A strong validator of the body: send it back in `If-None-Match`.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When the published content last changed: send it back in "
        "`If-Modified-Since`.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "How long browsers (`max-age`) and shared caches (`s-maxage`) may keep "
        "the response; a partner's responses are `private`.",
        "schema": {"type": "string"},
    },
}
CONDITIONAL_REQUEST_HEADERS = [
    {
        "name": "If-None-Match",
        "in": "header",
        "description": "The `ETag` of a response you hold: 304 while it is still current.",
        "schema": {"type": "string"},
    },
    {
        "name": "If-Modified-Since",
        "in": "header",
        "description": "The `Last-Modified` of a response you hold: 304 while it is current.",
        "schema": {"type": "string"},
    },
]
JSON_FORMAT = {
    "name": "format",
    "in": "query",
    "description": "json: the same as `Accept: application/json`.",
    "schema": {"type": "string", "enum": ["json"]},
}


def document_conditional_requests(result, generator, request, public):
    """drf-spectacular postprocessing hook: every read has validators and answers a matching
    conditional request with 304, except one whose view documents its own `Cache-Control`
    (a preview: never stored); and `?format=json` works wherever a view names no format."""
    result.setdefault("components", {}).setdefault("headers", {}).update(VALIDATOR_HEADERS)
    validator_refs = {name: {"$ref": f"#/components/headers/{name}"} for name in VALIDATOR_HEADERS}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.setdefault("parameters", [])
            if not any(parameter["name"] == "format" for parameter in parameters):
                parameters.append(JSON_FORMAT)
            responses = operation["responses"]
            if "Cache-Control" in responses["200"].get("headers", {}):
                continue
            parameters.extend(CONDITIONAL_REQUEST_HEADERS)
            responses["200"].setdefault("headers", {}).update(validator_refs)
            responses["304"] = {
                "description": "Not modified: the response you hold is current. No body.",
                "headers": {"ETag": validator_refs["ETag"]},
            }
    return result


def document_parameter_rules(result, generator, request, public):
    """drf-spectacular postprocessing hook: what `api/query_parameters.py` refuses of every
    query parameter, stated on each, so that the document promises nothing the server
    refuses: no parameter may be empty (a string has at least one character, a list at least
    one value) and no string holds a NUL character."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                schema = parameter["schema"]
                if schema.get("type") == "array":
                    schema.setdefault("minItems", 1)
                    _refuse_empty_and_nul(schema["items"])
                else:
                    _refuse_empty_and_nul(schema)
    return result


def _refuse_empty_and_nul(schema: dict) -> None:
    if schema.get("type") != "string" or "enum" in schema:
        return
    schema.setdefault("minLength", 1)
    # A date's or a date-time's format already rules the character out.
    if "format" not in schema:
        schema.setdefault("pattern", NO_NUL_PATTERN)
