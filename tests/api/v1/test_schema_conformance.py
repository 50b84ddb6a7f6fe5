"""Generated requests against the documented API, with every check schemathesis has: no
server error, every response as the OpenAPI document says (status, media type, headers,
body), every request the document allows accepted and every request it rules out refused.

schemathesis builds requests from the schema the code generates, valid ones and invalid ones,
and sends them through the WSGI application in this process, so they see the demo content of
this module's transaction. The suite runs `SCHEMATHESIS_EXAMPLES` cases per operation (10,
about 200 in all); `make schemathesis` runs the same test with 100 per operation and the
boundary values of schemathesis' coverage phase, over 2,000 cases.
"""

import os
import re
from collections import Counter

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import CHECKS, load_all_checks

from api.v1.sync import CURSOR_PATTERN, SyncState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
# Boundary values (empty strings, longest strings, each parameter missing), from schemathesis'
# coverage phase, which hypothesis runs as explicit examples: in the long run only, as they
# triple the suite's time.
PHASES = (
    [Phase.explicit, Phase.generate]
    if os.environ.get("SCHEMATHESIS_COVERAGE")
    else [Phase.generate]
)

# Loaded when the module is collected (pytest-django has set Django up by then): it needs
# neither database nor request. (schemathesis' fixture-based loader fails on pytest 9.)
schema = schemathesis.openapi.from_dict(
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
)
load_all_checks()
# Every check schemathesis has, none left out.
ALL_CHECKS = CHECKS.get_all()
CASES = Counter()


def with_an_issued_cursor(case) -> None:
    """A sync cursor is opaque: the document can say what one looks like, not which ones the
    API issued, and it refuses any other (400). A generated cursor of that shape is swapped for
    one the API issued, so that the cursor is tried at all; and in a request meant to be
    valid, `locale` is left out beside it, which the document says the cursor excludes."""
    query = case.query or {}
    cursor = query.get("cursor")
    if isinstance(cursor, str) and re.fullmatch(CURSOR_PATTERN, cursor):
        query["cursor"] = SyncState(locale=django_settings.LANGUAGE_CODE, partner=None).to_cursor()
        if case.meta is None or case.meta.generation.mode.is_positive:
            query.pop("locale", None)


def without_unknown_answers(case) -> None:
    """The screener's answers are keyed by the questionnaire's question ids, which are content:
    the document cannot list them, and the evaluation refuses any other (400). A request
    meant to be valid keeps its shape with no answer given, which the document allows (a
    question left out was not answered)."""
    body = case.body
    is_valid_request = case.meta is None or case.meta.generation.mode.is_positive
    if is_valid_request and isinstance(body, dict) and isinstance(body.get("answers"), dict):
        body["answers"] = {}


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, kept from closing the database connection (and so the
    test's transaction) when a request ends, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def report_cases():
    """How many cases ran, printed at the end (`make schemathesis` shows it)."""
    yield
    print(
        f"\nschemathesis: {CASES.total()} cases over {len(CASES)} operations, "
        f"checks: {', '.join(check.__name__ for check in ALL_CHECKS)}"
    )


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    phases=PHASES,
    database=None,
    deadline=None,
    # Requests only read; the database fixture each test runs in is shared on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_documented(case, wsgi_app):
    CASES[case.operation.label] += 1
    with_an_issued_cursor(case)
    if case.operation.path == "/api/v1/screening/evaluate/":
        without_unknown_answers(case)
    case.call_and_validate(app=wsgi_app, checks=ALL_CHECKS)
