"""The API key format: `kcp_<id>_<secret>`.

The prefix makes a leaked key recognisable (secret scanners, logs); the 8-character id finds
the key's row without touching the secret; the 40-character secret (base62, about 238 bits)
is kept only as its SHA-256 digest. A secret this random cannot be guessed from its digest, so
a slow password hash would add cost to every request and no safety; and a plain digest, unlike
an HMAC keyed with SECRET_KEY, survives a rotation of SECRET_KEY.
"""

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

PREFIX = "kcp"
ID_LENGTH = 8
SECRET_LENGTH = 40
ID_ALPHABET = string.ascii_lowercase + string.digits
SECRET_ALPHABET = string.ascii_letters + string.digits
KEY_PATTERN = re.compile(
    rf"^{PREFIX}_(?P<key_id>[{ID_ALPHABET}]{{{ID_LENGTH}}})_(?P<secret>[{SECRET_ALPHABET}]{{{SECRET_LENGTH}}})$"
)


@dataclass(frozen=True)
class ParsedKey:
    key_id: str
    secret: str


def random_string(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_key_id() -> str:
    return random_string(ID_ALPHABET, ID_LENGTH)


def new_secret() -> str:
    return random_string(SECRET_ALPHABET, SECRET_LENGTH)


def display_prefix(key_id: str) -> str:
    """What identifies a key once its secret is gone: `kcp_ab12cd34`."""
    return f"{PREFIX}_{key_id}"


def full_key(key_id: str, secret: str) -> str:
    return f"{display_prefix(key_id)}_{secret}"


def parse(raw: str) -> ParsedKey | None:
    """The key's id and secret, or None when `raw` is not shaped like a key."""
    match = KEY_PATTERN.match(raw)
    return ParsedKey(match["key_id"], match["secret"]) if match else None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Compared in constant time, so response times say nothing about the stored digest."""
    return hmac.compare_digest(hash_secret(secret), stored_hash)
