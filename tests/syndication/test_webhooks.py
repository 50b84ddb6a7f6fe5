"""Webhooks: who hears of a change, and how it reaches a real HTTP receiver on 127.0.0.1."""

import datetime
import json
import socket

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from content_models.models import ContentChange
from syndication import address_guard, webhook_delivery
from syndication.enums import DeliveryStatus, WebhookEvent
from syndication.models import WebhookDelivery, WebhookEndpoint
from tests.factories import FAQFactory, SideEffectFactory
from tests.factories.syndication import PartnerFactory

from .conftest import advance

pytestmark = pytest.mark.django_db


def endpoint_to(url: str, *, events=None, collections=None) -> WebhookEndpoint:
    partner = PartnerFactory(**({"collections": collections} if collections is not None else {}))
    return WebhookEndpoint.objects.create(
        partner=partner, url=url, events=events or list(WebhookEvent.values)
    )


def publish(factory=FAQFactory, **kwargs):
    item = factory(live=False, **kwargs)
    item.save_revision().publish()
    item.refresh_from_db()
    return item


def delivery_of(item) -> WebhookDelivery:
    return WebhookDelivery.objects.get(change__object_id=item.pk)


def queued_delivery_ids() -> list[int]:
    return [
        task.args_kwargs["args"][0] for task in DBTaskResult.objects.filter(backend_name="webhooks")
    ]


# Who hears of a change, and when


def test_a_publish_queues_a_thin_payload_for_the_worker(receiver, settings):
    settings.API_BASE_URL = "https://content.example"
    endpoint_to(receiver.url)

    faq = publish(slug="is-it-safe")

    delivery = delivery_of(faq)
    assert queued_delivery_ids() == [delivery.pk]
    change = ContentChange.objects.get(object_id=faq.pk)
    occurred_at = json.loads(delivery.payload)["timestamp"]
    assert datetime.datetime.fromisoformat(occurred_at) == change.occurred_at
    assert json.loads(delivery.payload) == {
        "type": "content.published",
        "timestamp": occurred_at,
        "data": {
            "collection": "faqs",
            "type": "faq",
            "id": faq.pk,
            "slug": "is-it-safe",
            "locale": "en",
            "url": "https://content.example/api/v1/faqs/is-it-safe/",
            "occurred_at": occurred_at,
            "sequence": change.pk,
        },
    }
    assert receiver.requests == []  # sent by the worker, never in the editor's request


def test_a_rolled_back_publish_sends_nothing(
    receiver, run_worker, django_capture_on_commit_callbacks
):
    endpoint_to(receiver.url)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish()
        raise RuntimeError("the editor's request failed after the publish")
    run_worker()

    assert callbacks == []
    assert WebhookDelivery.objects.count() == 0
    assert queued_delivery_ids() == []
    assert receiver.requests == []


def test_a_delivery_is_sent_even_if_the_publishing_process_dies_just_after_the_commit(
    receiver, run_worker, django_capture_on_commit_callbacks
):
    """Its task is stored in the publish's transaction, not on commit: otherwise it would be
    lost, and every later delivery to the endpoint would wait behind it until the worker
    restarted."""
    endpoint_to(receiver.url)
    with django_capture_on_commit_callbacks():  # never run: the process died at the commit
        first = publish()
    second = publish()

    run_worker()

    sequences = [json.loads(request.body)["data"]["sequence"] for request in receiver.requests]
    assert sequences == [delivery_of(first).change_id, delivery_of(second).change_id]


def test_only_endpoints_that_want_the_event_and_may_use_the_collection_hear_of_it(receiver):
    wants_all = endpoint_to(receiver.url)
    other_collections = endpoint_to(receiver.url, collections=["side-effects"])
    only_deletions = endpoint_to(receiver.url, events=[WebhookEvent.DELETED])
    disabled = endpoint_to(receiver.url)
    disabled.is_active = False
    disabled.save()

    faq = publish()
    faq.question = "Changed"
    faq.save_revision().publish()
    publish(SideEffectFactory)

    heard = {
        endpoint: sorted(
            WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event", flat=True)
        )
        for endpoint in (wants_all, other_collections, only_deletions, disabled)
    }
    assert heard == {
        wants_all: ["content.published", "content.published", "content.updated"],
        other_collections: ["content.published"],
        only_deletions: [],
        disabled: [],
    }


def test_unpublish_and_delete_are_announced_with_their_own_event(receiver):
    endpoint = endpoint_to(receiver.url)
    faq = publish()
    faq.unpublish()
    faq.delete()
    events = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("change_id")
    assert list(events.values_list("event", flat=True)) == [
        "content.published",
        "content.unpublished",
        "content.deleted",
    ]


# Sending to a real receiver


def test_the_receiver_gets_the_event_signed_as_standard_webhooks_specifies(receiver, run_worker):
    endpoint = endpoint_to(receiver.url)
    faq = publish()

    run_worker()

    [request] = receiver.requests
    delivery = delivery_of(faq)
    assert request.path == "/hooks/"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-id"] == delivery.message_id
    # The independent implementation checks the signature and the timestamp's freshness.
    assert Webhook(endpoint.secret).verify(request.body, request.headers) == json.loads(
        delivery.payload
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [(a.response_status, a.succeeded) for a in delivery.attempts.all()] == [(204, True)]


def test_a_500_is_retried_later_with_the_same_message_id_and_then_succeeds(receiver, run_worker):
    endpoint_to(receiver.url)
    receiver.statuses = [500]
    faq = publish()

    run_worker()
    delivery = delivery_of(faq)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at <= delivery.last_attempt_at + webhook_delivery.RETRY_DELAYS[0]

    run_worker()  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    advance(webhook_delivery.RETRY_DELAYS[0])
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    attempts = delivery.attempts.order_by("attempted_at")
    assert [a.response_status for a in attempts] == [500, 204]


def test_a_410_disables_the_endpoint_and_nothing_more_is_sent_to_it(receiver, run_worker):
    endpoint = endpoint_to(receiver.url)
    receiver.statuses = [410]
    first = publish()
    second = publish()

    run_worker()
    advance(datetime.timedelta(days=2))
    run_worker()
    publish()
    run_worker()

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_reason.startswith("410 Gone")
    assert len(receiver.requests) == 1
    assert delivery_of(first).status == DeliveryStatus.ABANDONED
    assert delivery_of(second).status == DeliveryStatus.ABANDONED
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2


def test_a_receiver_down_for_a_while_gets_every_event_in_order_once_back(receiver, run_worker):
    endpoint_to(receiver.url)
    receiver.stop()
    items = [publish() for _ in range(3)]
    items[0].question = "Updated while the receiver was down"
    items[0].save_revision().publish()

    for _hours in range(3):  # still down: attempts fail, nothing is lost
        run_worker()
        advance(datetime.timedelta(hours=1))
    attempts = [a for d in WebhookDelivery.objects.all() for a in d.attempts.all()]
    assert attempts and all(a.error == "Connection refused." for a in attempts)

    receiver.start()
    advance(webhook_delivery.RETRY_DELAYS[-1])
    run_worker()

    sequences = [json.loads(r.body)["data"]["sequence"] for r in receiver.requests]
    assert sequences == sorted(ContentChange.objects.values_list("id", flat=True))
    assert len(sequences) == 4
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_redirects_are_not_followed_and_count_as_failures(receiver, run_worker):
    endpoint_to(receiver.url)
    receiver.statuses = [307]
    faq = publish()

    run_worker()

    assert [r.path for r in receiver.requests] == ["/hooks/"]
    delivery = delivery_of(faq)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts.get().response_status == 307


def test_a_receiver_slower_than_the_timeout_is_a_failure(receiver, run_worker, settings):
    settings.WEBHOOK_TIMEOUT = 0.2
    receiver.delay = 1
    endpoint_to(receiver.url)
    faq = publish()

    run_worker()

    delivery = delivery_of(faq)
    assert delivery.status == DeliveryStatus.FAILED
    attempt = delivery.attempts.get()
    assert attempt.response_status is None
    assert "timeout" in attempt.error
    assert attempt.duration_ms < 1000


def test_an_unexpected_error_while_sending_is_a_logged_attempt_retried_on_schedule(
    receiver, run_worker, caplog
):
    """A URL saved without the form's checks cannot be sent to: the delivery fails like any
    other, and once the URL is corrected it goes, with the one queued behind it."""
    endpoint = endpoint_to(receiver.url)
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint.pk)
    endpoints.update(url="https://partner.example:99999/hooks/")
    first, second = publish(), publish()

    run_worker()

    delivery = delivery_of(first)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at <= delivery.last_attempt_at + webhook_delivery.RETRY_DELAYS[0]
    assert delivery.attempts.get().error == "ValueError: Port out of range 0-65535"
    assert delivery_of(second).attempts.count() == 0  # waits behind the first
    [logged] = [record for record in caplog.records if record.exc_info]
    assert logged.getMessage() == f"Webhook delivery {delivery.pk}: unexpected error while sending"

    endpoints.update(url=receiver.url)
    advance(webhook_delivery.RETRY_DELAYS[0])
    run_worker()

    sequences = [json.loads(request.body)["data"]["sequence"] for request in receiver.requests]
    assert sequences == [delivery_of(first).change_id, delivery_of(second).change_id]


def test_failures_are_retried_for_at_least_a_day_then_abandoned_and_the_endpoint_disabled(
    receiver, run_worker
):
    endpoint = endpoint_to(receiver.url)
    receiver.statuses = [503] * 50
    faq = publish()

    delivery = delivery_of(faq)
    for _step in range(30):
        run_worker()
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.ABANDONED:
            break
        advance(webhook_delivery.RETRY_DELAYS[-1])

    assert delivery.status == DeliveryStatus.ABANDONED
    assert delivery.attempt_count >= webhook_delivery.RETRY_MIN_ATTEMPTS
    assert delivery.last_attempt_at - delivery.first_attempt_at >= datetime.timedelta(days=1)
    assert delivery.attempts.count() == len(receiver.requests) == delivery.attempt_count
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "No 2xx answer" in endpoint.disabled_reason


def test_retry_delays_are_random_up_to_a_bound_that_grows():
    for failures, bound in enumerate(webhook_delivery.RETRY_DELAYS, start=1):
        delays = [webhook_delivery.retry_delay(failures) for _ in range(200)]
        assert all(datetime.timedelta(0) <= delay <= bound for delay in delays)
        assert min(delays) < bound / 2 < max(delays)  # full jitter, not a fixed delay
    assert webhook_delivery.retry_delay(50) <= webhook_delivery.RETRY_DELAYS[-1]
    assert sorted(webhook_delivery.RETRY_DELAYS) == webhook_delivery.RETRY_DELAYS


# The address guard


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "localhost"])
def test_no_webhook_reaches_a_loopback_address_unless_allowed(host, receiver, run_worker, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    endpoint_to(f"http://{host}:{receiver.port}/hooks/")
    faq = publish()

    run_worker()

    assert receiver.requests == []
    attempt = delivery_of(faq).attempts.get()
    assert "is a loopback address" in attempt.error
    assert "public internet addresses" in attempt.error


def test_the_same_loopback_receiver_is_reached_when_the_setting_allows_it(
    receiver, run_worker, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint_to(f"http://localhost:{receiver.port}/hooks/")
    publish()
    run_worker()
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("::1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),
    ],
)
def test_the_guard_refuses_every_non_public_address_a_name_resolves_to(
    address, kind, settings, monkeypatch
):
    """Resolution is faked so that no connection to these addresses is ever attempted."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(
        address_guard.socket,
        "getaddrinfo",
        lambda host, port, **kwargs: [
            (None, None, None, "", ("93.184.215.14", port)),
            (None, None, None, "", (address, port)),
        ],
    )
    with pytest.raises(address_guard.AddressNotAllowed, match=f"is a {kind} address"):
        address_guard.resolve("https://partner.example/hooks/")


def test_the_request_goes_to_the_address_the_guard_checked_with_the_host_name_kept(
    receiver, run_worker, settings, monkeypatch
):
    """The name resolves to the receiver once, for the check, and not after (as a DNS server
    rebinding the name might answer): the request reaches the receiver only if it is sent to
    the checked address instead of looking the name up again."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint_to(f"http://partner.invalid:{receiver.port}/hooks/")
    publish()
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def resolves_once(host, port, *args, **kwargs):
        if host != "partner.invalid":
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        if len(lookups) > 1:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", port))]

    monkeypatch.setattr(address_guard.socket, "getaddrinfo", resolves_once)
    run_worker()

    [request] = receiver.requests
    assert request.headers["host"] == f"partner.invalid:{receiver.port}"
    assert lookups == ["partner.invalid"]
