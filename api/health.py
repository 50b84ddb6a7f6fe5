"""Probes for load balancers and orchestrators: is the process up, can it reach its database."""

from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse

from .errors import problem_response


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
        return problem_response(503, "The database cannot be reached.")
    return JsonResponse({"status": "ok"})
