"""Signatures checked by an independent implementation of Standard Webhooks (`standardwebhooks`)."""

import base64
import datetime
import json
import time

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from syndication import signing, webhook_actions
from syndication.enums import WebhookEvent
from syndication.models import WebhookEndpoint
from tests.factories.syndication import PartnerFactory

BODY = json.dumps({"type": "content.published", "data": {"id": 1}}).encode()


def headers_for(secrets_in_use, body=BODY, msg_id="msg_1"):
    return signing.signed_headers(secrets_in_use, msg_id, int(time.time()), body)


def test_a_secret_is_whsec_and_the_base64_of_32_random_bytes():
    first, second = signing.new_secret(), signing.new_secret()
    assert first.startswith("whsec_") and first != second
    assert len(base64.b64decode(first.removeprefix("whsec_"), validate=True)) == 32


def test_a_signature_verifies_with_the_reference_implementation():
    secret = signing.new_secret()
    assert Webhook(secret).verify(BODY, headers_for([secret])) == json.loads(BODY)


def test_a_changed_body_or_another_secret_does_not_verify():
    secret = signing.new_secret()
    headers = headers_for([secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"1", b"2"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(BODY, headers)


@pytest.mark.django_db
def test_during_a_rotation_both_secrets_sign_and_each_verifies(settings):
    settings.WEBHOOK_SECRET_ROTATION_HOURS = 24
    endpoint = WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="https://partner.example/", events=WebhookEvent.values
    )
    old = endpoint.secret

    new = webhook_actions.rotate_secret(endpoint)

    assert new != old and endpoint.secrets_in_use() == [new, old]
    headers = headers_for(endpoint.secrets_in_use())
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new).verify(BODY, headers) == Webhook(old).verify(BODY, headers)

    a_day_later = timezone.now() + datetime.timedelta(hours=24, seconds=1)
    assert endpoint.secrets_in_use(now=a_day_later) == [new]
