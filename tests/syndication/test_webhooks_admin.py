"""The Syndication menu's webhook endpoints (secret, rotation, URL checks) and delivery log."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from syndication.enums import DeliveryStatus, WebhookEvent
from syndication.models import WebhookDelivery, WebhookEndpoint
from tests.factories import FAQFactory
from tests.factories.syndication import PartnerFactory

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"{model._meta.model_name}:{view}", args=args)


def endpoint_form(partner, address="https://riverside.example/hooks/", **extra):
    return {
        "partner": partner.pk,
        "url": address,
        "description": "Website mirror",
        "events": [WebhookEvent.PUBLISHED, WebhookEvent.DELETED],
        "is_active": "on",
        **extra,
    }


def delivery(endpoint_url="https://riverside.example/hooks/") -> WebhookDelivery:
    endpoint = WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url=endpoint_url, events=WebhookEvent.values
    )
    faq = FAQFactory(live=False)
    faq.save_revision().publish()
    return WebhookDelivery.objects.get(endpoint=endpoint)


def test_syndication_menu_lists_webhook_endpoints_and_deliveries(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Webhook endpoints" in html and "Deliveries" in html


def test_a_new_endpoint_opens_on_its_edit_page_which_shows_the_signing_secret(admin_client):
    partner = PartnerFactory()

    response = admin_client.post(url(WebhookEndpoint, "add"), endpoint_form(partner))

    endpoint = WebhookEndpoint.objects.get(partner=partner)
    assert endpoint.events == ["content.published", "content.deleted"]
    assert response.status_code == 302
    assert response["Location"] == url(WebhookEndpoint, "edit", endpoint.pk)
    html = admin_client.get(response["Location"]).content.decode()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in html


def test_saving_the_edit_form_keeps_the_secret(admin_client):
    partner = PartnerFactory()
    admin_client.post(url(WebhookEndpoint, "add"), endpoint_form(partner))
    endpoint = WebhookEndpoint.objects.get()
    secret = endpoint.secret

    response = admin_client.post(
        url(WebhookEndpoint, "edit", endpoint.pk),
        endpoint_form(partner, signing_secret="whsec_forged"),
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret == secret


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("http://riverside.example/hooks/", "must start with https://"),
        ("https://127.0.0.1/hooks/", "127.0.0.1 is a loopback address"),
        ("https://10.0.0.8/hooks/", "10.0.0.8 is a private address"),
        ("https://169.254.169.254/latest/", "169.254.169.254 is a link-local address"),
        ("https://[::1]/hooks/", "::1 is a loopback address"),
        ("https://localhost:8443/hooks/", "localhost is a loopback address"),
        ("https://user:pw@riverside.example/", "no user name or password"),
        ("https://riverside.example:99999/hooks/", "The port must be a number from 1 to 65535"),
        ("https://riverside.example:0/hooks/", "The port must be a number from 1 to 65535"),
    ],
)
def test_an_endpoint_url_that_webhooks_cannot_go_to_is_refused_with_the_reason(
    admin_client, settings, address, message
):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    response = admin_client.post(
        url(WebhookEndpoint, "add"), endpoint_form(PartnerFactory(), address)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_endpoint_needs_at_least_one_event(admin_client):
    response = admin_client.post(
        url(WebhookEndpoint, "add"), endpoint_form(PartnerFactory(), events=[])
    )
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_rotating_the_secret_keeps_the_old_one_signing_for_a_while(admin_client):
    partner = PartnerFactory()
    admin_client.post(url(WebhookEndpoint, "add"), endpoint_form(partner))
    endpoint = WebhookEndpoint.objects.get()
    old = endpoint.secret
    assert "Rotate secret" in admin_client.get(url(WebhookEndpoint, "index")).content.decode()

    confirm = admin_client.get(url(WebhookEndpoint, "rotate", endpoint.pk))
    assert "signed with both" in confirm.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == old  # a GET changes nothing

    response = admin_client.post(url(WebhookEndpoint, "rotate", endpoint.pk))

    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secrets_in_use() == [endpoint.secret, old]
    html = admin_client.get(response["Location"]).content.decode()
    assert endpoint.secret in html and old in html


def test_the_delivery_log_filters_by_status_and_partner_and_searches(admin_client):
    sent = delivery()
    sent.status = DeliveryStatus.SUCCEEDED
    sent.save()
    failed = delivery("https://other.example/hooks/")
    failed.status = DeliveryStatus.FAILED
    failed.save()
    index = url(WebhookDelivery, "index")

    by_status = admin_client.get(index, {"status": "failed"}).content.decode()
    by_partner = admin_client.get(index, {"partner": sent.endpoint.partner_id}).content.decode()
    by_search = admin_client.get(index, {"q": "other.example"}).content.decode()

    inspect = url(WebhookDelivery, "inspect", failed.pk)
    inspect_sent = url(WebhookDelivery, "inspect", sent.pk)
    assert inspect in by_status and inspect_sent not in by_status
    assert inspect_sent in by_partner and inspect not in by_partner
    assert inspect in by_search and inspect_sent not in by_search


def test_a_delivery_shows_every_attempt_and_cannot_be_edited(admin_client):
    failed = delivery()
    failed.attempts.create(
        attempted_at=failed.created_at, response_status=503, duration_ms=12, succeeded=False
    )
    failed.attempts.create(
        attempted_at=failed.created_at,
        error="Connection refused.",
        duration_ms=3,
        succeeded=False,
    )

    html = admin_client.get(url(WebhookDelivery, "inspect", failed.pk)).content.decode()

    assert html.count('class="webhook-attempt"') == 2
    assert "HTTP 503" in html and "Connection refused." in html
    assert failed.message_id in html
    edit = admin_client.get(url(WebhookDelivery, "edit", failed.pk))
    assert edit["Location"] == url(WebhookDelivery, "inspect", failed.pk)
    assert admin_client.get(url(WebhookDelivery, "add")).status_code in (302, 403)


def test_redeliver_queues_the_same_message_again_with_fresh_retries(admin_client):
    abandoned = delivery()
    abandoned.status, abandoned.attempt_count, abandoned.next_attempt_at = "abandoned", 9, None
    abandoned.save()

    response = admin_client.post(url(WebhookDelivery, "redeliver", abandoned.pk))

    assert response.status_code == 302
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.attempt_count) == ("pending", 0)
    assert abandoned.next_attempt_at is not None
    queued = [t.args_kwargs["args"] for t in DBTaskResult.objects.filter(backend_name="webhooks")]
    assert [abandoned.pk] in queued


def test_redeliver_to_a_disabled_endpoint_says_to_enable_it_first(admin_client):
    abandoned = delivery()
    abandoned.endpoint.is_active = False
    abandoned.endpoint.save()
    abandoned.status = "abandoned"
    abandoned.save()

    response = admin_client.post(url(WebhookDelivery, "redeliver", abandoned.pk), follow=True)

    assert "The endpoint is disabled" in response.content.decode()
    abandoned.refresh_from_db()
    assert abandoned.status == "abandoned"
