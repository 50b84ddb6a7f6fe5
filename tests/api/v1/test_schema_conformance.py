"""Generated requests against the documented API: no server error, and every response is
what the OpenAPI document says (status, media type, body).

schemathesis builds requests from the schema the code generates, and sends them through the
WSGI application in this process, so they see the demo content of this module's transaction.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]

# Loaded when the module is collected (pytest-django has set Django up by then): it needs
# neither database nor request. (schemathesis' fixture-based loader fails on pytest 9.)
schema = schemathesis.openapi.from_dict(
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
)


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, kept from closing the database connection (and so the
    test's transaction) when a request ends, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    # Generated examples only: schemathesis' boundary-value phase triples the run time.
    phases=[Phase.generate],
    database=None,
    deadline=None,
    # Requests only read; the database fixture each test runs in is shared on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_documented(case, wsgi_app):
    # What the document promises about responses. (schemathesis' checks that schema-valid
    # input is accepted do not fit an API that answers an unknown slug or field with 4xx.)
    case.call_and_validate(
        app=wsgi_app,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ],
    )
