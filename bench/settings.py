"""Settings for bench/cold_reads.py: production's, with Wagtail's API v2 mounted beside ours.

Connections are reused (`CONN_MAX_AGE`), as a deployment with a connection pool reuses them:
what is measured is the work of a read, not of opening a PostgreSQL connection per request.
"""

import os

for name, value in {
    "SECRET_KEY": "bench-only-key",
    "ALLOWED_HOSTS": "localhost",
    "ENFORCE_HTTPS": "false",
    "SECURE_COOKIES": "false",
    "API_RATE_LIMIT_ANONYMOUS": "100000000/minute",
}.items():
    os.environ.setdefault(name, value)

from cms.settings.production import *  # noqa: E402, F403
from cms.settings.production import DATABASES, INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]
ROOT_URLCONF = "bench.urls"
DATABASES["default"]["CONN_MAX_AGE"] = None
LOGGING = {"version": 1, "disable_existing_loggers": False}
