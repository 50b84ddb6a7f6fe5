"""Sending a webhook: one signed POST of a delivery's stored body, to an address the guard
checked (`address_guard.py`), with what came back (or what went wrong) as an `Outcome`.

Sending uses urllib3 directly, to the checked address, with the host name kept for `Host`,
SNI and the certificate check, so a name that resolves elsewhere between the check and the
connection (DNS rebinding) gains nothing. Redirects are not followed.
"""

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings

from . import address_guard, signing
from .models import WebhookDelivery

logger = logging.getLogger(__name__)

RESPONSE_EXCERPT_LENGTH = 500
USER_AGENT = "ketamine-content-webhooks/1"


@dataclass
class Outcome:
    """What one attempt came to: the answer's status and start, or the error instead."""

    status: int | None = None
    error: str = ""
    excerpt: str = ""
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(delivery: WebhookDelivery) -> Outcome:
    """POST the delivery's body, signed, to a checked address of its endpoint's host.

    Redirects are not followed (a 3xx is a failure): the endpoint's URL is the one the
    partner registered and we checked, and a redirect could point anywhere.
    """
    endpoint = delivery.endpoint
    body = delivery.payload.encode()
    started = time.monotonic()
    outcome = Outcome()
    try:
        address = address_guard.resolve(endpoint.url)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            **signing.signed_headers(
                endpoint.secrets_in_use(), delivery.message_id, int(time.time()), body
            ),
        }
        outcome.status, outcome.excerpt = _post_to(address, endpoint.url, headers, body)
    except address_guard.AddressNotAllowed as error:
        outcome.error = str(error)
    except urllib3.exceptions.NewConnectionError as error:  # a subclass of TimeoutError
        outcome.error = _describe(error)
    except urllib3.exceptions.TimeoutError:
        outcome.error = f"No answer within {settings.WEBHOOK_TIMEOUT:g} s (timeout)."
    except (urllib3.exceptions.HTTPError, OSError) as error:
        outcome.error = _describe(error)
    except Exception as error:
        # A defect, ours or in stored data (a URL saved before the form refused it), rather
        # than the partner's answer. Still a failed attempt: raised, it would leave the
        # delivery leased and unlogged, and every later delivery to the endpoint waiting.
        logger.exception("Webhook delivery %s: unexpected error while sending", delivery.pk)
        outcome.error = _describe(error)
    outcome.duration_ms = round((time.monotonic() - started) * 1000)
    return outcome


def _post_to(address: str, url: str, headers: dict, body: bytes) -> tuple[int, str]:
    """POST to `address`, the resolved and checked address of `url`'s host: the connection
    goes there, while `Host`, TLS's server name and certificate check use the host name."""
    parts = urlsplit(url)
    host = parts.hostname
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT, read=settings.WEBHOOK_TIMEOUT)
    options = {"port": port, "timeout": timeout, "retries": False, "maxsize": 1}
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, **options)
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    if ":" in host:  # an IPv6 literal
        host_header = f"[{host}]" if parts.port is None else f"[{host}]:{parts.port}"
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        excerpt = response.read(RESPONSE_EXCERPT_LENGTH, decode_content=False)
        return response.status, excerpt.decode("utf-8", errors="replace")
    finally:
        pool.close()


def _describe(error: Exception) -> str:
    """An error in a line, for the attempt log."""
    reason = getattr(error, "reason", None) or error
    text = str(reason)
    if "Connection refused" in text:
        return "Connection refused."
    return f"{type(reason).__name__}: {text}"[:500]
