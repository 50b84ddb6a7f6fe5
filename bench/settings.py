"""Settings of `make bench`: the production settings, as a server runs them, plus the bench's
own URLs (`bench/urls.py`: the constant-JSON floor and Wagtail's API v2 on the same articles).

`BENCH_API_CACHE=off` leaves out the API's response cache, so every read is built anew: the
cold reads, measured against Wagtail's API v2, which has no cache.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from cms.settings.production import *  # noqa: F403
from cms.settings.production import INSTALLED_APPS, MIDDLEWARE

RESPONSE_CACHE = "api.caching.ApiResponseCacheMiddleware"

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]

if os.environ.get("BENCH_API_CACHE", "on") == "off":
    if RESPONSE_CACHE not in MIDDLEWARE:
        raise ImproperlyConfigured(f"bench/settings.py: {RESPONSE_CACHE} is not in MIDDLEWARE.")
    MIDDLEWARE = [name for name in MIDDLEWARE if name != RESPONSE_CACHE]
