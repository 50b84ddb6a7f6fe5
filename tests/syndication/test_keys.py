"""API keys at rest: a recognisable format, and no secret anywhere in the database."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.utils import timezone

from syndication import keys
from syndication.enums import ApiKeyStatus
from syndication.models import ApiKey
from syndication.selectors import InvalidApiKey, active_api_key
from syndication.services import create_api_key, revoke_api_key
from tests.factories.syndication import PartnerFactory

pytestmark = pytest.mark.django_db


def test_a_key_has_a_prefix_a_lookup_id_and_a_long_secret():
    api_key, full_key = create_api_key(partner=PartnerFactory(), name="Site")
    prefix, key_id, secret = full_key.split("_")
    assert prefix == "kcp"
    assert key_id == api_key.key_id and len(key_id) == 8
    assert len(secret) >= 32
    assert api_key.prefix == f"kcp_{key_id}"


def test_the_database_holds_no_secret_only_its_digest():
    api_key, full_key = create_api_key(partner=PartnerFactory(), name="Site")
    secret = full_key.rsplit("_", 1)[1]

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM syndication_apikey WHERE id = %s", [api_key.pk])
        row = cursor.fetchone()
    stored = " ".join(str(value) for value in row)

    assert secret not in stored and full_key not in stored
    assert api_key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()


def test_two_keys_never_share_a_secret_or_an_id():
    partner = PartnerFactory()
    first = create_api_key(partner=partner, name="One")
    second = create_api_key(partner=partner, name="Two")
    assert first[1] != second[1]
    assert first[0].key_id != second[0].key_id


def test_a_valid_key_finds_its_partner():
    partner = PartnerFactory()
    _api_key, full_key = create_api_key(partner=partner, name="Site")
    assert active_api_key(full_key).partner == partner


@pytest.mark.parametrize(
    "raw",
    ["", "kcp_", "kcp_abcdefgh", "xyz_abcdefgh_" + "a" * 40, "kcp_ABCDEFGH_" + "a" * 40],
)
def test_a_malformed_key_is_refused_without_a_lookup(raw, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(InvalidApiKey, match="malformed"):
        active_api_key(raw)


def test_the_secret_is_compared_as_a_digest():
    assert keys.secret_matches("s3cret", keys.hash_secret("s3cret"))
    assert not keys.secret_matches("s3cret", keys.hash_secret("other"))


def test_a_key_works_until_it_is_revoked_or_reaches_its_expiry():
    partner = PartnerFactory()
    now = timezone.now()
    keys_by_name = {
        name: create_api_key(partner=partner, name=name, expires_at=expires_at)[0]
        for name, expires_at in [
            ("no end", None),
            ("ends later", now + datetime.timedelta(days=1)),
            ("ended", now - datetime.timedelta(seconds=1)),
            ("revoked", now + datetime.timedelta(days=1)),
        ]
    }
    revoke_api_key(keys_by_name["revoked"])

    statuses = dict(ApiKey.objects.with_status().values_list("name", "status"))

    assert statuses == {
        "no end": ApiKeyStatus.ACTIVE,
        "ends later": ApiKeyStatus.ACTIVE,
        "ended": ApiKeyStatus.EXPIRED,
        "revoked": ApiKeyStatus.REVOKED,
    }
