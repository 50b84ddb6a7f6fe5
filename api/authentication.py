"""Who is asking, and may they: API keys, client addresses and rate limits for `/api/`.

One middleware, placed before the response cache (`api.caching`), so that a bad key gets its
401 and a client over its limit its 429 even for an address whose response is cached; and so
that the cache can key responses by who is asking (`ApiClient.cache_variant`), as a partner's
scope and attribution terms change what a response shows.

A request without a key is an anonymous public read, limited per client address (an IPv6
client per /64 network). A request with a key (`Authorization: Bearer <key>` or
`X-API-Key: <key>`) that is malformed, unknown, revoked or expired is refused with 401 — never
served as anonymous — and counts against the address's anonymous limit, so a stream of bad
keys is throttled too. The API's documentation (the docs page and the OpenAPI document) is
read freely: it is neither limited nor counted.
"""

import functools
import ipaddress
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.cache import patch_vary_headers

from syndication.models import ApiKey, Partner
from syndication.selectors import InvalidApiKey, active_api_key
from syndication.services import record_use

from . import caching, ratelimit
from .errors import problem_response
from .ratelimit import ANONYMOUS_TIER

API_PREFIX = "/api/"
CREDENTIAL_HEADERS = ("Authorization", "X-API-Key")
REALM = "content-api"
# The views that document the API: free to read, so that reading about the API never spends
# the quota for using it.
DOCUMENTATION_VIEWS = {"api:v1:docs", "api:v1:schema"}
# Each end user of IPv6 is given at least a /64 network, and may use any of its addresses.
IPV6_CLIENT_PREFIX = 64


@dataclass(frozen=True)
class LicenceTerms:
    """What a reader must do to republish an item: the partner's terms, or the default ones."""

    attribution_text: str
    link_back_required: bool
    allowed_modifications: str


@dataclass(frozen=True)
class ApiClient:
    """Who a request comes from: a partner's key, or an anonymous client address."""

    address: str
    api_key: ApiKey | None = None
    partner: Partner | None = field(default=None)

    @property
    def tier(self) -> str:
        return self.partner.rate_limit_tier if self.partner else ANONYMOUS_TIER

    @property
    def rate_limit_identity(self) -> str:
        return f"key:{self.api_key.pk}" if self.api_key else address_identity(self.address)

    @property
    def cache_variant(self) -> str:
        """What of the client changes a response: the partner and the version of its terms."""
        if self.partner is None:
            return "anonymous"
        return f"partner:{self.partner.pk}:{self.partner.updated_at.timestamp()}"

    def may_read(self, collection: str) -> bool:
        """Anonymous public reads see every collection; a partner sees those it may use."""
        return self.partner is None or collection in self.partner.collections

    @property
    def licence_terms(self) -> LicenceTerms:
        partner = self.partner
        return LicenceTerms(
            attribution_text=(partner and partner.attribution_text)
            or settings.CONTENT_ATTRIBUTION_TEXT,
            link_back_required=partner.link_back_required if partner else True,
            allowed_modifications=(partner and partner.allowed_modifications)
            or settings.CONTENT_ALLOWED_MODIFICATIONS,
        )


ANONYMOUS = ApiClient(address="")


def api_client(request) -> ApiClient:
    """The client of a request; anonymous for one that did not pass the middleware (a test
    calling a serializer directly, the schema generator)."""
    return getattr(request, "api_client", ANONYMOUS)


def client_address(request) -> str:
    """The address the request came from.

    REMOTE_ADDR, unless `API_TRUSTED_PROXY_COUNT` says the server sits behind that many
    proxies that each append the address they received from to X-Forwarded-For: the client
    is then the address the outermost trusted proxy saw, the Nth entry from the right. Entries
    further left are whatever the client sent and are never trusted.
    """
    proxies = settings.API_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def counted_address(request) -> str:
    """The address a client is counted under, by the API's rate limits and the admin's
    sign-in throttling: its IPv4 address, or the first address of its IPv6 /64 network
    (`2001:db8:0:1::`), since a client may take any address of its /64 and would otherwise
    count as 2^64 clients. An IPv4 client seen through IPv6 (`::ffff:192.0.2.1`) is its IPv4
    address. Anything that is no address is counted as it is."""
    return _counted(client_address(request))


@functools.lru_cache(maxsize=4096)
def _counted(address: str) -> str:
    # Parsed once per address among the most recent, not on every request: a client sends
    # many requests.
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network((ip, IPV6_CLIENT_PREFIX), strict=False).network_address)


def address_identity(address: str) -> str:
    """The rate-limit counter of an anonymous client, e.g. 'address:192.0.2.1'."""
    return f"address:{address}"


def presented_key(request) -> str | None:
    """The key the request sends, None if it sends none; InvalidApiKey if the headers are
    not usable (another scheme, an empty value, two different keys)."""
    bearer = None
    if (authorization := request.headers.get("Authorization")) is not None:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise InvalidApiKey("Send the API key as `Authorization: Bearer <key>`.")
        bearer = value.strip()
    header = request.headers.get("X-API-Key")
    if header is not None:
        header = header.strip()
        if bearer is not None and header != bearer:
            raise InvalidApiKey("The Authorization and X-API-Key headers name different keys.")
        if not header:
            raise InvalidApiKey("The X-API-Key header is empty.")
    return bearer if bearer is not None else header


def authenticate(request) -> ApiClient:
    address = counted_address(request)
    raw = presented_key(request)
    if raw is None:
        return ApiClient(address=address)
    api_key = active_api_key(raw)
    record_use(api_key)
    return ApiClient(address=address, api_key=api_key, partner=api_key.partner)


class ApiAccessMiddleware:
    """Authenticates and rate-limits every request under /api/; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        view = caching.resolved(request)
        if view is not None and view.view_name in DOCUMENTATION_VIEWS:
            return self.get_response(request)
        try:
            client = authenticate(request)
        except InvalidApiKey as error:
            quota, _ = ratelimit.hit(ANONYMOUS_TIER, address_identity(counted_address(request)))
            response = self.too_many_requests(quota) if quota.exceeded else self.unauthorized(error)
            return self.finish(response, quota)
        # The count and the response cache's lookup are one round trip with Redis.
        quota, request.shared_cache_reading = ratelimit.hit(
            client.tier,
            client.rate_limit_identity,
            response_key=caching.response_key(request, client.cache_variant),
        )
        if quota.exceeded:
            return self.finish(self.too_many_requests(quota), quota)
        request.api_client = client
        return self.finish(self.get_response(request), quota)

    @staticmethod
    def finish(response, quota: ratelimit.Quota):
        for name, value in quota.headers().items():
            response[name] = value
        # A response depends on the key sent; a shared cache must not give it to anyone else.
        patch_vary_headers(response, CREDENTIAL_HEADERS)
        return response

    @staticmethod
    def unauthorized(error: InvalidApiKey):
        return problem_response(
            401,
            f"{error} Send no key for anonymous public access.",
            headers={
                "WWW-Authenticate": f'Bearer realm="{REALM}", error="invalid_token", '
                f'error_description="{error}"'.replace("`", "")
            },
        )

    @staticmethod
    def too_many_requests(quota: ratelimit.Quota):
        return ratelimit.refusal(quota)
