"""API keys on the content API: a good key reads, any bad key is refused, never anonymous."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from syndication.models import ApiKey
from syndication.services import create_api_key, revoke_api_key
from tests.factories import SideEffectFactory
from tests.factories.syndication import PartnerFactory, api_key_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/side-effects/"


@pytest.fixture
def side_effect():
    return SideEffectFactory(name="Nausea", slug="nausea")


def revoked_key():
    api_key, full_key = create_api_key(partner=PartnerFactory(), name="Old site")
    revoke_api_key(api_key)
    return full_key


def expired_key():
    past = timezone.now() - datetime.timedelta(seconds=1)
    return api_key_for(expires_at=past)


def wrong_secret():
    full_key = api_key_for()
    return full_key[:-1] + ("A" if full_key[-1] != "A" else "B")


BAD_CREDENTIALS = {
    "malformed": lambda: {"HTTP_AUTHORIZATION": "Bearer not-a-key"},
    "unknown id": lambda: {"HTTP_X_API_KEY": "kcp_zzzzzzzz_" + "a" * 40},
    "wrong secret": lambda: {"HTTP_X_API_KEY": wrong_secret()},
    "revoked": lambda: {"HTTP_AUTHORIZATION": f"Bearer {revoked_key()}"},
    "expired": lambda: {"HTTP_X_API_KEY": expired_key()},
    "headers disagree": lambda: {
        "HTTP_AUTHORIZATION": f"Bearer {api_key_for()}",
        "HTTP_X_API_KEY": api_key_for(),
    },
    "another scheme": lambda: {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
    "empty bearer": lambda: {"HTTP_AUTHORIZATION": "Bearer "},
    "empty header": lambda: {"HTTP_X_API_KEY": ""},
}


@pytest.mark.parametrize("case", BAD_CREDENTIALS)
@pytest.mark.parametrize("url", [URL, "/api/v1/side-effects/nausea/", "/api/v1/"])
def test_bad_key_gets_401_problem_even_on_a_cached_address(api, side_effect, case, url):
    assert api.get(url).status_code == 200  # now in the response cache
    headers = BAD_CREDENTIALS[case]()

    response = api.get(url, **headers)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="content-api"')
    assert "results" not in response.json()


# How many requests the address has left and until when: they count the address, not the key.
ADDRESS_COUNTERS = {"RateLimit-Remaining", "RateLimit-Reset"}


@pytest.mark.parametrize("case", ["revoked", "expired"])
def test_a_revoked_or_expired_key_is_answered_exactly_as_an_unknown_one(api, case):
    """Nothing in the answer tells that the key once existed."""
    unknown = api.get(URL, **BAD_CREDENTIALS["unknown id"](), REMOTE_ADDR="192.0.2.1")
    known = api.get(URL, **BAD_CREDENTIALS[case](), REMOTE_ADDR="192.0.2.2")

    assert known.status_code == unknown.status_code == 401
    assert known.content == unknown.content
    assert {name: value for name, value in known.items() if name not in ADDRESS_COUNTERS} == {
        name: value for name, value in unknown.items() if name not in ADDRESS_COUNTERS
    }


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_API_KEY"])
def test_valid_key_reads_in_either_header(api, side_effect, header):
    full_key = api_key_for()
    value = f"Bearer {full_key}" if header == "HTTP_AUTHORIZATION" else full_key
    response = api.get(URL, **{header: value})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_same_key_in_both_headers_is_accepted(api, side_effect):
    full_key = api_key_for()
    response = api.get(URL, HTTP_AUTHORIZATION=f"Bearer {full_key}", HTTP_X_API_KEY=full_key)
    assert response.status_code == 200


def test_revoking_a_key_refuses_it_at_once(api, side_effect):
    api_key, full_key = create_api_key(partner=PartnerFactory(), name="Site")
    assert api.get(URL, HTTP_X_API_KEY=full_key).status_code == 200
    revoke_api_key(api_key)
    assert api.get(URL, HTTP_X_API_KEY=full_key).status_code == 401


def test_a_key_past_its_expiry_is_refused(api, side_effect):
    api_key, full_key = create_api_key(
        partner=PartnerFactory(),
        name="Site",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert api.get(URL, HTTP_X_API_KEY=full_key).status_code == 200
    ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now())
    assert api.get(URL, HTTP_X_API_KEY=full_key).status_code == 401


def test_use_is_recorded_at_most_once_a_minute(api, side_effect):
    api_key, full_key = create_api_key(partner=PartnerFactory(), name="Site")
    cache.delete(f"syndication:key-used:{api_key.pk}")

    api.get(URL, HTTP_X_API_KEY=full_key)
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None

    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=None)
    api.get(URL, HTTP_X_API_KEY=full_key)
    api_key.refresh_from_db()
    assert api_key.last_used_at is None  # within the minute: no second write


def test_responses_to_a_key_are_private_and_vary_on_the_credentials(api, side_effect):
    anonymous = api.get(URL)
    keyed = api.get(URL, HTTP_X_API_KEY=api_key_for())
    assert "public" in anonymous["Cache-Control"]
    assert "private" in keyed["Cache-Control"] and "s-maxage" not in keyed["Cache-Control"]
    for response in (anonymous, keyed):
        assert {"Authorization", "X-API-Key"} <= {
            name.strip() for name in response["Vary"].split(",")
        }
