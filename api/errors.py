"""One error format for the whole API: RFC 9457 problem details, `application/problem+json`."""

import sys
from http import HTTPStatus

from django.db import InterfaceError, OperationalError, connections, transaction
from django.http import HttpResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .renderers import HTMLSafeJSONRenderer

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every error of the API is shaped."""

    type = serializers.CharField(help_text="about:blank: the status and title say it all.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: the messages for each parameter at fault.",
    )


def problem(status: int, detail: str, errors: dict | None = None) -> dict:
    """A problem document. `type` is about:blank: the status and `title` say what went wrong."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_exception_handler(exc, context):
    """DRF's handler, reshaped: every error a view raises becomes problem+json."""
    # DRF's handler marks any open transaction for rollback, taking it for the view's own
    # (ATOMIC_REQUESTS). The API's views only read and open none (api/v1/router.py): the
    # transaction open around one is its caller's (a test's), and not the view's to end.
    in_transaction = [db for db in connections.all(initialized_only=True) if db.in_atomic_block]
    rollback_marks = [db.get_rollback() for db in in_transaction]
    response = exception_handler(exc, context)
    for db, mark in zip(in_transaction, rollback_marks, strict=True):
        db.set_rollback(mark)
    if response is None:
        return None  # An unexpected error: Django's 500 handler below answers it.
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        names = ", ".join(f"'{name}'" for name in errors)
        body = problem(response.status_code, f"Invalid request parameter {names}.", errors)
    else:
        # DRF turns Django's Http404 and PermissionDenied into its own; their text is in data.
        body = problem(response.status_code, str(response.data.get("detail", exc)))
    return Response(
        body,
        status=response.status_code,
        headers=dict(response.headers),
        content_type=PROBLEM_CONTENT_TYPE,
    )


def problem_response(
    status: int, detail: str, headers: dict | None = None, extra: dict | None = None
) -> HttpResponse:
    """A problem document as a response, for code outside DRF's views (middleware, handlers),
    rendered as the views' errors are; `extra` adds members (RFC 9457, 3.2)."""
    return HttpResponse(
        HTMLSafeJSONRenderer().render({**problem(status, detail), **(extra or {})}),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


# The API is read-only and takes no cookies, so there is no cross-site request to forge; a
# CSRF check here would answer a POST with Django's HTML 403 page instead of this 404.
@csrf_exempt
@transaction.non_atomic_requests
def api_not_found(request):
    """404 for an address under /api/ that no endpoint answers (routed last under /api/)."""
    return problem_response(404, f"There is no endpoint at {request.path}.")


# Django's error handlers (cms/urls.py), for errors raised outside any DRF view (in
# middleware, e.g. a Host header not in ALLOWED_HOSTS): problem+json under /api/, Django's
# pages elsewhere. None of them may read the Host header: it may be the error.


def bad_request(request, exception):
    """400: a malformed request, or one for a host this server does not serve."""
    if is_api_request(request):
        return problem_response(
            400, "The request is malformed, or names a host this server does not serve."
        )
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """403: a request refused before it reached a view."""
    if is_api_request(request):
        return problem_response(403, "This request is not allowed.")
    return defaults.permission_denied(request, exception)


def server_error(request):
    """500: an unexpected error; 503 with Retry-After when the error is that the database
    cannot be reached (it is down, restarting, or every connection is busy): the request was
    fine, and will be answered once the database is back."""
    if isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return database_unavailable(request)
    if is_api_request(request):
        return problem_response(500, "The server failed to answer; the error has been logged.")
    return defaults.server_error(request)


# What Django raises when it cannot reach the database or loses its connection (psycopg's
# pool timing out included), as opposed to a query the database refused.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
# Long enough for a database restart or failover, short enough that clients come back soon.
DATABASE_RETRY_AFTER_SECONDS = 5


def database_unavailable(request) -> HttpResponse:
    """503: the database cannot be reached now."""
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
    detail = "The database cannot be reached; try again shortly."
    if is_api_request(request):
        return problem_response(503, detail, headers=headers)
    return HttpResponse(detail, status=503, content_type="text/plain", headers=headers)
