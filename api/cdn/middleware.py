"""What a CDN in front of the API needs on each response it fetches: the surrogate keys that
let a change purge it, and a shared lifetime that never runs past the next expiry date."""

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control

from content_models import content_generation

from .surrogate_keys import API_PREFIX, keys_for_response

# The CDN announces itself with this request header (the Edge Architecture's
# `Surrogate-Capability`, set by deploy/varnish/default.vcl), and only then are the keys
# worked out: a reader who asks the API directly pays nothing for them.
CAPABILITY = "cache-tags"


def cdn_asks_for_keys(request) -> bool:
    return CAPABILITY in request.headers.get("Surrogate-Capability", "")


class SurrogateKeyMiddleware:
    """Around the response cache (`api.caching`), so a response the API served from its own
    cache is keyed like one it has just built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and request.path.startswith(API_PREFIX)
            and response.status_code == 200
            and not response.streaming
            and "public" in response.get("Cache-Control", "")
            and cdn_asks_for_keys(request)
        ):
            response["Surrogate-Key"] = " ".join(sorted(keys_for_response(request, response)))
            _end_before_next_expiry(response)
        return response


def _end_before_next_expiry(response) -> None:
    """An item reaching its expiry date leaves the API with no change to announce (the
    scheduled-publishing run unpublishes it up to a minute later): a CDN keeps no response
    past that moment. Read after the response, so a generation the request renewed counts."""
    next_expiry = content_generation.current().next_expiry
    if next_expiry is None:
        return
    remaining = int((next_expiry - timezone.now()).total_seconds())
    if remaining < settings.API_CACHE_S_MAXAGE:
        patch_cache_control(response, s_maxage=max(remaining, 0))
