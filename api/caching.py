"""HTTP caching for the content API: ETags, conditional requests and a shared response cache.

Each 200 is kept in the cache under a key that contains the content generation (a token
every publish, unpublish and delete renews, once per transaction, and the first read after
an item's expiry date renews too: `content_models/content_generation.py`). A change therefore
makes every cached response unreachable at once, in every process, with nothing to purge.
The generation is held in Redis and read in the same round trip as the rate-limit count and
the response itself (`shared_cache.py`): a cached read, or a request whose validators match
(304), costs no query, no transaction and no serialization. The ETag is a hash of the body,
so it changes when, and only when, what the response shows changes.

Responses are also keyed by who is asking (`ApiClient.cache_variant`: anonymous, or a partner
and the version of its terms), since a partner's scope and attribution text change what a
response shows. `api.authentication.ApiAccessMiddleware` runs first and says who that is.
A partner's responses are `private`: shared caches keep only the anonymous ones.
"""

import functools
import hashlib
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, ResolverMatch, URLResolver, get_resolver, get_urlconf
from django.utils.cache import get_conditional_response
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date
from rest_framework.exceptions import NotAcceptable
from rest_framework.settings import api_settings

from content_models import content_generation

from . import shared_cache
from .renderers import ContentNegotiation

CACHED_PREFIX = "/api/v1/"
# Headers that change what a response shows, and so belong in `Vary` (the cache key holds
# what they decide: `negotiated`).
VARY_HEADERS = ("Accept",)
# The headers that carry a partner's key. The cache key has the client already; shared caches
# need them in `Vary` so that a stored anonymous response is never handed to a partner.
KEY_HEADERS = ("Authorization", "X-API-Key")
VARY = ", ".join((*VARY_HEADERS, *KEY_HEADERS))
# Entries of an old generation are never read again; this only bounds the memory they hold.
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    content_type: str
    etag: str
    last_modified: float

    def as_response(self) -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.content_type)
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        return response


def cache_control(*, shared: bool) -> str:
    """What caches may do with a response: shared caches keep only those for anonymous
    clients (`shared`), as a partner's scope and terms change what a response shows."""
    if shared:
        return (
            f"public, max-age={settings.API_CACHE_MAX_AGE}, s-maxage={settings.API_CACHE_S_MAXAGE}"
        )
    return f"private, max-age={settings.API_CACHE_MAX_AGE}"


def is_personal(response) -> bool:
    """A response that sets a cookie or varies on one (the docs page carries a CSRF token), or
    that says it must not be stored (a draft's preview), belongs to one visitor: it is
    neither stored nor offered to shared caches."""
    return (
        bool(response.cookies)
        or "cookie" in response.get("Vary", "").lower()
        or "no-store" in response.get("Cache-Control", "")
    )


def response_key(request, client_variant: str) -> shared_cache.ResponseKey | None:
    """Where the response to `request` is cached, for the client `client_variant` names
    (`ApiClient.cache_variant`); None for a request whose response is never cached.

    Keyed by what decides the response, not by how the request spelled it: the media type
    the request negotiates (not its `Accept` header) and its query in canonical form (not as
    sent), so that the countless spellings of one request share one entry."""
    if request.method not in ("GET", "HEAD") or not request.path.startswith(CACHED_PREFIX):
        return None
    return _response_key(
        # The scheme and host, not only the path: responses carry absolute URLs, so one
        # served under another host name or scheme must not be answered from this entry.
        f"{request.scheme}://{request.get_host()}",
        request.path,
        request.META.get("QUERY_STRING", ""),
        request.headers.get("Accept"),
        client_variant,
        get_resolver(get_urlconf()),
        request.path_info,
    )


@functools.lru_cache(maxsize=4096)
def _response_key(
    origin: str,
    path: str,
    query: str,
    accept: str | None,
    client_variant: str,
    resolver: URLResolver,
    path_info: str,
) -> shared_cache.ResponseKey:
    # Kept for each of the most read requests as clients spell them: decoding the query and
    # negotiating the media type take longer than the rest of a cached read's Python.
    # The query in canonical form: decoded and encoded again, its parameters in order of name
    # (`?b=2&a=1` and `?a=%31&b=2` are one); values of one name keep their order, which views
    # may read.
    pairs = parse_qsl(query, keep_blank_values=True)
    address = f"{iri_to_uri(origin + path)}?{urlencode(sorted(pairs, key=lambda pair: pair[0]))}"
    # The last value of a repeated parameter, as DRF reads it.
    format_ = dict(pairs).get(FORMAT_PARAMETER)
    media_type = negotiated(resolver, path_info, accept, format_)
    fingerprint = hashlib.sha256(f"{address}|{media_type}|{client_variant}".encode()).hexdigest()
    return shared_cache.ResponseKey(before="api:v1:", after=f":{fingerprint}")


def resolved(request) -> ResolverMatch | None:
    """The view at the request's address, None for none. The key check (`api.authentication`)
    and the cache key both ask, before every cached read; Django resolves it again only for a
    request that reaches a view."""
    return _view_at(get_resolver(get_urlconf()), request.path_info)


@functools.lru_cache(maxsize=4096)
def _view_at(resolver: URLResolver, path: str) -> ResolverMatch | None:
    # Resolving an address under /api/v1/ tries a few dozen patterns, which takes longer than
    # everything else a cached read does in Python; a URL configuration does not change
    # while it is in use, so the answer for each of the most read addresses is kept.
    try:
        return resolver.resolve(path)
    except Resolver404:
        return None


FORMAT_PARAMETER = api_settings.URL_FORMAT_OVERRIDE


def negotiated(resolver: URLResolver, path: str, accept: str | None, format_: str | None) -> str:
    """The media type the view at `path` answers a request in, as DRF's negotiation picks it
    from that view's renderers (with the indentation a JSON renderer takes from it:
    `application/json; indent=2`), or 406. Any two requests with the same outcome get the
    same response, however they spelled `Accept`."""
    match = _view_at(resolver, path)
    if match is None:
        return ""  # answered 404 by `errors.api_not_found`, never stored
    return _negotiated(_renderers_of(match.func, tuple(sorted(match.kwargs))), accept, format_)


@functools.lru_cache(maxsize=64)
def _renderers_of(view, kwarg_names: tuple[str, ...]) -> tuple[type, ...]:
    """The renderer classes a DRF view offers at an address with these URL arguments (an
    item's view adds JSON-LD)."""
    view_class = getattr(view, "cls", None)
    if view_class is None:
        return ()
    instance = view_class(**view.initkwargs)
    instance.kwargs = dict.fromkeys(kwarg_names, "")
    instance.request = instance.format_kwarg = None
    return tuple(type(renderer) for renderer in instance.get_renderers())


@functools.lru_cache(maxsize=512)
def _negotiated(renderers: tuple[type, ...], accept: str | None, format_: str | None) -> str:
    # What DRF's negotiation reads of a request.
    request = SimpleNamespace(
        headers={} if accept is None else {"accept": accept},
        query_params={} if format_ is None else {FORMAT_PARAMETER: format_},
    )
    try:
        renderer, media_type = ContentNegotiation().select_renderer(
            request, [renderer() for renderer in renderers]
        )
    except NotAcceptable:
        return "406"
    indent = renderer.get_indent(media_type, {}) if hasattr(renderer, "get_indent") else None
    return f"{renderer.media_type};indent={indent}"


def do_not_store(response) -> None:
    """Serve `response` (with its validators) but keep no copy: e.g. a page past the end of
    a list, one of countless addresses that all show nothing."""
    response.api_cache_not_stored = True


class ApiResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Set by `api.authentication.ApiAccessMiddleware`, which runs first (and imports this
        # module: reading the attributes keeps the two apart), with the generation and the
        # response it read in the round trip that counted the request. The documentation is
        # not counted, and so has neither: its client is the anonymous one.
        client = getattr(request, "api_client", None)
        partner = client.partner if client else None
        reading = getattr(request, "shared_cache_reading", None)
        if reading is None:
            key = response_key(request, "anonymous")
            reading = shared_cache.count_and_read(None, key) if key else None
        if reading is None or reading.response_key is None:
            return self.get_response(request)
        key = reading.response_key

        generation, cached = reading.generation, reading.response
        # Redis cannot be reached: served from the database, and not stored.
        use_cache = not reading.redis_unreachable
        look_up = use_cache and generation is None
        if generation is None:
            # Not in Redis (a renewal is committing, its lifetime ended, Redis was away or is
            # not the cache): the row, then held in Redis for the next readers.
            generation = content_generation.from_database()
            if use_cache:
                content_generation.store(generation)
        if generation.has_expired_content():
            # An item passed its expiry date since the last change: no save announced it, so
            # the first read after it renews the generation, and no cached response shows it.
            generation = content_generation.renew_if_expired()
            look_up = use_cache
        entry_key = key.for_generation(generation)
        if look_up:
            cached = cache.get(entry_key)
        if not isinstance(cached, CachedResponse):
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming or is_personal(response):
                return response
            use_cache = use_cache and not getattr(response, "api_cache_not_stored", False)
            body = response.content
            cached = CachedResponse(
                body=body,
                content_type=response["Content-Type"],
                etag=f'"{hashlib.sha256(body).hexdigest()[:40]}"',
                last_modified=generation.changed_at.timestamp(),
            )
            if use_cache:
                shared_cache.store(key, generation, cached, size=len(body), timeout=CACHE_SECONDS)

        response = cached.as_response()
        # Written whole rather than patched: the response is new, with neither header yet.
        response["Cache-Control"] = cache_control(shared=partner is None)
        response["Vary"] = VARY
        return get_conditional_response(
            request, etag=cached.etag, last_modified=int(cached.last_modified), response=response
        )
