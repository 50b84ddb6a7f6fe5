"""Probes for load balancers and orchestrators: is the process up, can it reach its database."""

from django.db import DatabaseError, connection
from django.http import JsonResponse

from .errors import PROBLEM_CONTENT_TYPE, problem


def healthz(request):
    return JsonResponse({"status": "ok"})


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
