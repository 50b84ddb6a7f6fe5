"""Where a webhook may be sent: public internet addresses only, unless a setting allows more.

A partner types a URL into our admin and our server posts to it; without this guard a URL
could make the server reach its own network (databases, cloud metadata at 169.254.169.254).
The host name is resolved once, every address it resolves to is checked, and the request is
then made to a checked address (with the name kept for `Host` and TLS), so a name that
resolves to a public address for the check and a private one for the connection (DNS
rebinding) gains nothing.

`WEBHOOK_ALLOW_PRIVATE_ADDRESSES` turns the check off, for development and tests whose
receivers run on 127.0.0.1.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class AddressNotAllowed(Exception):
    """The URL's host is, or resolves to, an address webhooks are not sent to."""


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why webhooks are not sent to `address`, or None if they may be."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for kind, test in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        # Shared (carrier-grade NAT), documentation and other special-purpose ranges.
        ("non-public", not address.is_global),
    ):
        if test:
            return f"{address} is a {kind} address"
    return None


def allow_private() -> bool:
    return settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES


def literal_address_refusal(host: str) -> str | None:
    """For the admin form: why a URL whose host is an IP address (or localhost) is refused.

    Names are resolved only when sending: DNS answers change, and the check that matters is
    the one made just before connecting.
    """
    if allow_private():
        return None
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return f"{host} is a loopback address"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return refusal(address)


def resolve(url: str) -> str:
    """The address to connect to for `url`: the first that `getaddrinfo` gives, once every
    address the host resolves to has passed the check. Raises AddressNotAllowed or OSError."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    if not host:
        raise AddressNotAllowed("The URL has no host.")
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not allow_private():
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise AddressNotAllowed(
                    f"Refused to send to {host}: {reason} "
                    "(webhooks go only to public internet addresses)."
                )
    return str(addresses[0])
