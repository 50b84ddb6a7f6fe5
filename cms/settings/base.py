"""Settings shared by every environment.

Everything that differs between machines comes from the environment, read here and only
here (django-environ); dev.py, test.py and production.py change behaviour, not sources.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Cookies only over HTTPS; turned off for a plain-HTTP `docker compose up` on a laptop.
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=True)
# production.py redirects plain HTTP to HTTPS and sends HSTS; turn this off only where a
# TLS-terminating proxy in front already does both (or to try production settings over plain
# HTTP on a laptop).
ENFORCE_HTTPS = env.bool("ENFORCE_HTTPS", default=True)

# An embedded SQLite file unless DATABASE_URL names a server; production.py refuses the default.
DATABASE_URL = env("DATABASE_URL", default="")
DATABASES = {
    "default": {
        **env.db_url_config(DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A write made by an admin view commits whole or not at all. The API only reads: its
        # views open no transaction (`api/v1/router.py`), and a cached read touches no database.
        "ATOMIC_REQUESTS": True,
    },
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Connections are reused, not opened per request (a new PostgreSQL connection costs more
    # than a whole cached read): psycopg's pool, one per process, checked before each use so
    # that connections broken by a database restart are replaced, not handed to a request.
    # A request waits at most DATABASE_POOL_TIMEOUT seconds for a connection; while the
    # database is down that is how long it takes to answer 503.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#connection-pool
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Statements a connection runs again are prepared, so PostgreSQL plans them once per
    # connection: the hot reads run the same SQL every time (`content_models/reused_sql.py`),
    # and planning an article's query and those of its embedded items cost several times what
    # running them does. psycopg prepares only statements whose parameters it sends apart
    # from the SQL (server-side binding), and keeps the 100 most used per connection. A pooler
    # in transaction mode (PgBouncer) cannot keep prepared statements with a connection:
    # DATABASE_PREPARED_STATEMENTS=false behind one.
    prepared_statements = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
        "server_side_binding": prepared_statements,
        "prepare_threshold": 2 if prepared_statements else None,
        "pool": {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=3),
        },
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must stand an editor's save racing the admin's autosave. A
    # transaction that reads before it writes (every request here is one) would otherwise
    # start as a reader and fail at once with "database is locked" when the other holds
    # the write lock. IMMEDIATE takes the write lock at BEGIN, so the second waits (up to
    # `timeout` seconds) instead; WAL lets reads go on beside a write.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#database-is-locked-errors
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when REDIS_URL is set, so every web process shares one cache; otherwise per process.
REDIS_URL = env("REDIS_URL", default="")
CACHES = {
    "default": {
        # Redis is a cache and a counter, not something to wait for: a stopped or unreachable
        # Redis costs a request milliseconds, and the request goes on without it (no retry;
        # cms/cache.py).
        "BACKEND": "cms.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
            "socket_timeout": env.float("REDIS_TIMEOUT", default=0.5),
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# After failing to reach Redis, leave it alone this many seconds (then try again); log that
# it cannot be reached at most once per REDIS_WARNING_INTERVAL seconds.
REDIS_RETRY_INTERVAL = env.float("REDIS_RETRY_INTERVAL", default=1)
REDIS_WARNING_INTERVAL = env.float("REDIS_WARNING_INTERVAL", default=60)
# How long Redis holds the content generation before a reader reads it from the database
# again (content_models/content_generation.py: the one bound on a renewal Redis missed).
CONTENT_GENERATION_CACHE_SECONDS = env.int("CONTENT_GENERATION_CACHE_SECONDS", default=60)

INSTALLED_APPS = [
    "cms",
    "content_models",
    "api",
    "syndication",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "csp",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before the response cache: a bad key or a client over its limit is refused even for a
    # cached address, and the cache knows who is asking (api/authentication.py).
    "api.authentication.ApiAccessMiddleware",
    # Outside the response cache, so a response served from it still names its items to the
    # CDN that asks (api/cdn).
    "api.cdn.middleware.SurrogateKeyMiddleware",
    "api.caching.ApiResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for too many failures into the
    # lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins from one
# address, or for one username, sign-in from that address or for that username is refused
# (429, with the lock-out page) until AXES_COOLOFF_TIME passes. Ten is above what a person
# mistyping reaches and far below what guessing a password needs; a lock-out caused by another
# person ends by itself. Addresses are read as the API's rate limits read them (the trusted
# proxies, IPv6 per /64). https://django-axes.readthedocs.io/en/latest/4_configuration.html
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "api.authentication.counted_address"
AXES_LOCKOUT_TEMPLATE = "cms/sign_in_locked_out.html"
# No banner at every start; failed sign-ins and lock-outs are still logged (as warnings).
AXES_VERBOSE = False

# Content-Security-Policy (django-csp) on every response: the admin's pages, the API docs page
# and the API's JSON. Everything comes from this server, and no inline script or style runs,
# except on the admin's pages, which need both (cms/urls.py says why). Images may also be
# `data:` URLs, which cannot run script: Swagger UI (the docs page) draws its icons with them.
# Checked by loading the admin (sign-in, dashboard, page and snippet listings and editors) and
# the docs page in Chromium with this policy, none refused.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The admin shows its own previews in a frame; nothing else may frame a page.
        "frame-ancestors": [SELF],
        "form-action": [SELF],
    },
}

# Internationalisation: English is the default content language and Spanish is available,
# so translations can be added in the admin without a schema change.
# https://docs.wagtail.org/en/stable/advanced_topics/i18n.html
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("es", "Spanish")]
WAGTAIL_I18N_ENABLED = True
# The admin fills a slug in from the title as the editor types it; slugs are ASCII (the
# models' SlugFields, and addresses partners can type), so "Náuseas" must give "nauseas",
# not a slug the form then refuses.
# https://docs.wagtail.org/en/stable/reference/settings.html#wagtail-allow-unicode-slugs
WAGTAIL_ALLOW_UNICODE_SLUGS = False
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's editor posts every StreamField block and inline row as its own form field.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Ketamine therapy patient information"
# Editors' avatars are not fetched from Gravatar: the admin would send a hash of each editor's
# email address to a third party, and its Content-Security-Policy loads images from here only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The dashboard would ask releases.wagtail.org for the latest version from each editor's
# browser; upgrades are the developers' business, and the admin contacts no other site.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Used in links inside notification emails (e.g. "a change awaits your medical review").
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# The database backend uses PostgreSQL full-text search on PostgreSQL and FTS5 on SQLite.
# https://docs.wagtail.org/en/stable/topics/search/backends.html
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Rich text blocks reach API clients as HTML a browser renders, with internal links resolved.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Only the editors' own uploads; no executable or HTML documents.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
# The CMS is headless: its pages reach readers through the API. Wagtail's own HTML rendering
# of the page tree at `/` is served only when this is on (dev.py turns it on); previews in
# the admin work either way.
SERVE_HTML_PAGES = env.bool("SERVE_HTML_PAGES", default=False)

# Content API (api/). https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    # JSON only: no browsable HTML API, so nothing under /api/ ever answers with an HTML page.
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.HTMLSafeJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "api.pagination.LimitOffsetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "URL_FORMAT_OVERRIDE": "format",
    # A format an address does not offer is a 406 naming the ones it does (DRF says 404).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.renderers.ContentNegotiation",
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Ketamine therapy content API",
    "DESCRIPTION": (
        "Patient information about ketamine therapy: treatment forms, side effects, "
        "eligibility rules, conditions, references, FAQs, articles and reviewers, each "
        "clinical item with its medical review status (`review_status`). Patient "
        "information, not medical advice. Only published content is served."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["api.schema.only_api_endpoints"],
    # Swagger UI and ReDoc from the installed sidecar package: the docs fetch nothing elsewhere.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # drf-spectacular's default hook, then API keys and rate limits on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Before access control, which adds the RateLimit headers to every response, 304 too.
        "api.schema.document_conditional_requests",
        "api.schema.document_access_control",
        # Last, so that it sees every query parameter, those the hooks above add too.
        "api.schema.document_parameter_rules",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProcessPhaseEnum": "content_models.enums.ProcessPhase",
        "TimingEnum": "content_models.enums.Timing",
        # The screener's outcomes and rule kinds, one name wherever they appear.
        "ScreeningOutcomeEnum": "content_models.enums.ScreeningOutcome",
        "RuleKindEnum": "content_models.enums.RuleKind",
        # Every classification's basis (frequency, severity, setting, ...) is one vocabulary.
        "BasisEnum": "content_models.enums.Basis",
        # The item types, as search hits and the manifest name them (items name their own).
        "ItemTypeEnum": "content_models.collections.TYPE_NAMES",
    },
}
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=0)
API_CACHE_S_MAXAGE = env.int("API_CACHE_S_MAXAGE", default=60)
# The CDN in front of the API (deploy/varnish/default.vcl), purged on every publish, unpublish
# and delete: the addresses its purge (BAN) requests go to, e.g. http://varnish:80/. Empty:
# nothing is sent, and API_CACHE_S_MAXAGE should stay short. See api/cdn.
CDN_PURGE_URLS = env.list("CDN_PURGE_URLS", default=[])
# Seconds a CDN has to answer a purge before the publish goes on without it (logged).
CDN_PURGE_TIMEOUT = env.float("CDN_PURGE_TIMEOUT", default=2)
# Where the public site shows each item; `html_url` is null when unset. The admin's preview
# then shows the site's /preview/ page, which reads the draft from the API's preview endpoint.
PUBLIC_SITE_BASE_URL = env("PUBLIC_SITE_BASE_URL", default="").rstrip("/")
# How long a preview token (content_models/preview.py) lets a front end read a draft.
PREVIEW_TOKEN_MAX_AGE = env.int("PREVIEW_TOKEN_MAX_AGE", default=60 * 60)
CONTENT_PUBLISHER_NAME = env("CONTENT_PUBLISHER_NAME", default=WAGTAIL_SITE_NAME)
CONTENT_LICENSE_URL = env(
    "CONTENT_LICENSE_URL", default="https://creativecommons.org/licenses/by-nc-nd/4.0/"
)
# The licence terms every item's `attribution` block states for anonymous readers, and for
# partners whose own terms (in the admin's Syndication menu) leave them blank. It goes with
# every item, reviewed or not, so it claims no review: each item's `review_status` says that.
CONTENT_ATTRIBUTION_TEXT = env(
    "CONTENT_ATTRIBUTION_TEXT",
    default=f"Patient information from {CONTENT_PUBLISHER_NAME}.",
)
CONTENT_ALLOWED_MODIFICATIONS = env(
    "CONTENT_ALLOWED_MODIFICATIONS",
    default="None: republish the content unchanged (no derivatives).",
)

# Requests per window for each tier, as '<count>/<period>' (second, minute, hour, day, or
# e.g. '500/5m'): 'anonymous' per client address, the partner tiers per API key. Counted in
# Redis (REDIS_URL) so every process shares them; see api/ratelimit.py.
# The anonymous rate's default differs by settings module (generous in dev.py), so the
# environment's value is kept apart for them to fall back on.
API_RATE_LIMIT_ANONYMOUS = env("API_RATE_LIMIT_ANONYMOUS", default="")
API_RATE_LIMITS = {
    "anonymous": API_RATE_LIMIT_ANONYMOUS or "60/minute",
    "standard": env("API_RATE_LIMIT_STANDARD", default="600/minute"),
    "premium": env("API_RATE_LIMIT_PREMIUM", default="3000/minute"),
}
# While Redis cannot be reached, requests cannot be counted: 'open' lets them through
# uncounted (the API keeps serving), 'closed' refuses them with 503 (no client can exceed
# its limit). https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable
API_RATE_LIMIT_FAILURE_MODE = env("API_RATE_LIMIT_FAILURE_MODE", default="open")
if API_RATE_LIMIT_FAILURE_MODE not in ("open", "closed"):
    raise ImproperlyConfigured("API_RATE_LIMIT_FAILURE_MODE must be 'open' or 'closed'.")
# How many proxies in front of the server append to X-Forwarded-For; 0 means clients connect
# directly and REMOTE_ADDR is their address. See api.authentication.client_address.
API_TRUSTED_PROXY_COUNT = env.int("API_TRUSTED_PROXY_COUNT", default=0)
# X-Forwarded-Proto says the client's connection was HTTPS only when a proxy in front sets it:
# with no proxy, any client could send it, and Django would take a plain-HTTP request for a
# secure one (skip the HTTPS redirect, send secure cookies over HTTP).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if API_TRUSTED_PROXY_COUNT else None

# Public reads from any origin, and the screener's evaluation (a POST of JSON, which browsers
# preflight); the admin sends no CORS headers. No cookies are sent or read: credentials stay
# off.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "if-modified-since",
    "if-none-match",
    "x-api-key",
]
# Browsers show scripts only these response headers; the RateLimit fields let a front end
# slow down before it is refused.
CORS_EXPOSE_HEADERS = [
    "etag",
    "last-modified",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "ratelimit-policy",
]

# Background tasks (django-tasks). Wagtail's own tasks (search indexing on save) keep running
# in the request, as they did before this setting existed, so nothing needs a worker to stay
# searchable. Webhooks go through "webhooks", stored in the database and run by
# `make worker` (`manage.py webhook_worker`), so no editor's request waits on a partner's
# server and nothing queued is lost when the worker restarts.
# https://github.com/RealOrangeOne/django-tasks-db
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["webhooks"]},
}

# Webhooks (syndication/webhook_*.py). The API's public address, for the absolute URLs in
# webhook payloads, which are sent by a worker that has no request to take it from.
API_BASE_URL = env("API_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Seconds a partner's server has to answer (connecting and each read); longer is a failure.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10)
# Send to loopback, private and link-local addresses, and accept http:// endpoint URLs.
# Off here (production): a partner's URL must not reach our own network. On in dev and test,
# whose receivers run on 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
# How long the previous secret keeps signing after a rotation, so partners can switch over.
WEBHOOK_SECRET_ROTATION_HOURS = env.int("WEBHOOK_SECRET_ROTATION_HOURS", default=24)

# Set only by dev.py: `make run` may create a local admin login and print it.
LOCAL_ADMIN_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Wagtail indexes every save through django-tasks and logs each publish; both are
        # recorded elsewhere (the task result, the admin's history), and drown real messages.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
