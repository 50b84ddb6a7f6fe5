"""Probes for load balancers and orchestrators: is the process up, and can it serve.

`/readyz` reports each dependency. It is 503 when the database cannot be reached (nothing
but cached responses could be served); Redis is reported but does not make it fail, since the
API serves without it, from the database (`cms/cache.py`).
"""

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse

from content_models.content_generation import REDIS_UNREACHABLE

from .errors import DATABASE_RETRY_AFTER_SECONDS, problem_response

OK, UNREACHABLE, NOT_CONFIGURED = "ok", "unreachable", "not configured"


# Outside the per-request transaction (ATOMIC_REQUESTS): opening it needs the database, and
# a probe must answer, not fail, when the database is down.
@transaction.non_atomic_requests
def healthz(request):
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests
def readyz(request):
    checks = {"database": database_status(), "redis": redis_status()}
    if checks["database"] != OK:
        return problem_response(
            503,
            "The database cannot be reached.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
            extra={"checks": checks},
        )
    status = "ok" if checks["redis"] != UNREACHABLE else "degraded"
    return JsonResponse({"status": status, "checks": checks})


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return UNREACHABLE
    return OK


def redis_status() -> str:
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return NOT_CONFIGURED
    try:
        backend._cache.get_client(write=True).ping()
    except REDIS_UNREACHABLE:
        return UNREACHABLE
    return OK
