"""Probes for load balancers and orchestrators: is the process up, can it reach its database."""

from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse

from .errors import PROBLEM_CONTENT_TYPE, problem


# Outside the per-request transaction (ATOMIC_REQUESTS): opening it needs the database, and
# a probe must answer, not fail, when the database is down.
@transaction.non_atomic_requests
def healthz(request):
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse(
            problem(503, "The database cannot be reached."),
            status=503,
            content_type=PROBLEM_CONTENT_TYPE,
        )
    return JsonResponse({"status": "ok"})
