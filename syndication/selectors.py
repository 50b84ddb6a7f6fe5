"""Read queries: which key, and so which partner, a request's credentials name."""

from . import keys
from .enums import ApiKeyStatus
from .models import ApiKey

# Compared against when no key has the id, so an unknown id costs the same as a wrong secret.
_NO_SUCH_HASH = keys.hash_secret("")


class InvalidApiKey(Exception):
    """The credentials name no usable key; the message says why, for the 401's detail."""


UNUSABLE_KEY = "The API key is unknown, revoked or expired."


def active_api_key(raw: str) -> ApiKey:
    """The active key (with its partner) that `raw` is, or InvalidApiKey saying why not."""
    parsed = keys.parse(raw)
    if parsed is None:
        raise InvalidApiKey(
            f"The API key is malformed: a key looks like {keys.PREFIX}_<8 characters>_<40 "
            "characters>, as shown when it was created."
        )
    api_key = (
        ApiKey.objects.with_status().select_related("partner").filter(key_id=parsed.key_id).first()
    )
    matches = keys.secret_matches(parsed.secret, api_key.secret_hash if api_key else _NO_SUCH_HASH)
    if api_key is None or not matches or api_key.status != ApiKeyStatus.ACTIVE:
        # One answer for all three: telling a revoked or expired key from an unknown one
        # would confirm to whoever holds a leaked key that it was real.
        raise InvalidApiKey(UNUSABLE_KEY)
    return api_key
