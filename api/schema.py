"""How the OpenAPI document is generated (drf-spectacular hooks)."""


def only_api_endpoints(endpoints):
    """Keep the content API's endpoints only: the document is its contract, and the Wagtail
    admin's internal API and the health probes are not part of it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
