"""Settings for the test suite: `make test`, on PostgreSQL."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, MIDDLEWARE, REDIS_URL

# Full-text search, JSONB and constraints behave differently on SQLite; the suite proves the
# production database, so it refuses to run anywhere else.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "The tests run on PostgreSQL: set DATABASE_URL=postgres://... (make test does this)."
    )

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Hashing passwords properly is slow by design; the tests only need users to exist.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files as production serves them (whitenoise), found in the apps without a
# collectstatic, so tests can fetch what a page links to (the API docs' bundled assets).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
# Each file looked up when asked for, not every app's files listed when the middleware starts:
# that listing (Wagtail's admin has thousands) took 30 ms for each test's client.
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # nothing is collected for the tests
# Every test request comes from one address: limits no test reaches unless it lowers them.
API_RATE_LIMITS = {"anonymous": "100000/hour", "standard": "100000/hour", "premium": "100000/hour"}
# Webhook receivers on this machine (127.0.0.1, plain http) are how webhooks are tried out
# and tested; base.py refuses them.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = WEBHOOK_ALLOW_HTTP = True

# `make test` runs the tests in several processes (pytest-xdist) on one Redis database: each
# keeps its keys under its worker's name and clears only those (tests/cache.py).
if REDIS_URL:
    CACHES = {
        "default": {
            **CACHES["default"],
            "BACKEND": "tests.cache.WorkerRedisCache",
            "KEY_PREFIX": os.environ.get("PYTEST_XDIST_WORKER", ""),
        }
    }
