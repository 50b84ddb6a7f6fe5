"""Settings for a server: refuses to start without the settings a public deployment needs."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    DATABASE_URL,
    ENFORCE_HTTPS,
    MIDDLEWARE,
    SECRET_KEY,
    SECURE_COOKIES,
)

for name, value in {
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": ALLOWED_HOSTS,
    "DATABASE_URL": DATABASE_URL,
}.items():
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")

# Serves the collected static files (the admin's assets) from gunicorn, with no other server.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, content-hashed file names so browsers can cache the admin's assets forever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES

# HTTPS only: plain HTTP is redirected, and browsers are told (HSTS) to use HTTPS for a year on
# this host and its subdomains. The probes are exempt: the orchestrator calls them over plain
# HTTP from inside, not through the proxy. https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SECURE_SSL_REDIRECT = ENFORCE_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if ENFORCE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ENFORCE_HTTPS
# Not `preload`: the browsers' preload list takes a whole registered domain (example.org), a
# commitment for every site under it that its owner makes, not this server's settings.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
