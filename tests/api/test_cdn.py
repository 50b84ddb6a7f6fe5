"""The CDN in front of the API: every response it fetches names the items it shows, and every
change purges, once its transaction commits, exactly the responses that show the item.

Purges go to a real HTTP receiver on this machine (`cdn`), which records the BAN requests
Varnish would get; tests/api/test_cdn_varnish.py runs the same against Varnish itself.
"""

import datetime
import logging
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api.cdn.purging import PendingPurge
from content_models import publication
from content_models.models import SideEffectTreatmentForm
from tests.factories import (
    ArticlePageFactory,
    FAQFactory,
    ReferenceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    cite,
)
from tests.factories.syndication import api_key_for
from tests.processes import free_port, serve_in_thread

pytestmark = pytest.mark.django_db

CDN = {"HTTP_SURROGATE_CAPABILITY": 'varnish="cache-tags"'}


class PurgeReceiver(BaseHTTPRequestHandler):
    def do_BAN(self):
        self.server.purges.append(self.headers["Surrogate-Key"].split())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    """A CDN's purge address, listening on this machine; its `purges` are the key lists of
    the BAN requests it received, in order."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), PurgeReceiver)
    server.purges = []
    serve_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def committed(cdn, settings, django_capture_on_commit_callbacks):
    """`with committed():` runs its changes with the CDN configured, as if their transaction
    then committed. (A test's own transaction never commits; the changes made before, to set
    the test up, purge nothing.)"""

    @contextmanager
    def committing():
        settings.CDN_PURGE_URLS = [f"http://127.0.0.1:{cdn.server_port}/"]
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield
        finally:
            settings.CDN_PURGE_URLS = []

    return committing


@pytest.fixture
def nausea():
    """A side effect of a treatment form, citing a reference; and an unrelated FAQ."""
    side_effect = SideEffectFactory(name="Nausea", slug="nausea")
    form = TreatmentFormFactory(name="IV infusion", slug="iv-infusion")
    side_effect.treatment_form_links.add(SideEffectTreatmentForm(treatment_form=form))
    side_effect.save()
    cite(side_effect, ReferenceFactory(slug="a-trial"))
    FAQFactory(slug="unrelated")
    return side_effect


def keys_of(api, path) -> set[str]:
    response = api.get(path, **CDN)
    assert response.status_code == 200, path
    return set(response["Surrogate-Key"].split())


def publish(item, **changes):
    for name, value in changes.items():
        setattr(item, name, value)
    item.save_revision().publish()


SHOWING_NAUSEA = [
    "/api/v1/side-effects/nausea/",
    "/api/v1/side-effects/",
    "/api/v1/side-effects/?frequency=common&expand=treatment_forms,references",
    "/api/v1/treatment-forms/iv-infusion/",
    "/api/v1/treatment-forms/?expand=side_effects",
    "/api/v1/search/?q=nausea",
    "/api/v1/manifest/",
    "/api/v1/sync/",
]


@pytest.mark.parametrize("path", SHOWING_NAUSEA)
def test_publishing_an_item_purges_every_response_that_shows_it(api, nausea, cdn, committed, path):
    shown = keys_of(api, path)

    with committed():
        publish(nausea, name="Feeling sick")

    [purged] = cdn.purges
    assert shown & set(purged), path


@pytest.mark.parametrize(
    "path", ["/api/v1/faqs/unrelated/", "/api/v1/faqs/", "/api/v1/references/a-trial/"]
)
def test_publishing_an_item_leaves_responses_that_do_not_show_it(api, nausea, cdn, committed, path):
    shown = keys_of(api, path)

    with committed():
        publish(nausea, name="Feeling sick")

    [purged] = cdn.purges
    assert not shown & set(purged), path


def test_a_response_names_items_it_shows_only_by_slug(api, nausea):
    form = nausea.treatment_form_links.get().treatment_form
    reference = nausea.reference_links.get().reference
    keys = keys_of(api, "/api/v1/side-effects/nausea/")  # relations not expanded: slugs
    assert {
        f"side-effect-{nausea.pk}",
        f"treatment-form-{form.pk}",
        f"reference-{reference.pk}",
        f"reviewer-{nausea.reviewed_by_id}",
    } <= keys
    assert "side-effects" not in keys  # a detail joins no list


def test_a_newly_linked_item_purges_what_it_now_relates_to(api, nausea, cdn, committed):
    other_form = TreatmentFormFactory(slug="nasal-spray")
    shown = keys_of(api, "/api/v1/treatment-forms/nasal-spray/?expand=side_effects")
    nausea.treatment_form_links.add(SideEffectTreatmentForm(treatment_form=other_form))

    with committed():
        publish(nausea)

    assert shown & set(cdn.purges[0])


def test_a_newly_published_reference_purges_the_items_that_cite_it(api, nausea, cdn, committed):
    draft = ReferenceFactory(slug="new-trial", live=False)
    cite(nausea, draft)
    shown = keys_of(api, "/api/v1/side-effects/nausea/?expand=references")

    with committed():
        publish(draft)

    assert f"side-effect-{nausea.pk}" in cdn.purges[0]
    assert shown & set(cdn.purges[0])


def test_unpublishing_and_deleting_purge_the_item(api, nausea, cdn, committed):
    with committed():
        nausea.unpublish()
    key = f"side-effect-{nausea.pk}"
    with committed():
        nausea.delete()
    assert [key in purge and "side-effects" in purge for purge in cdn.purges] == [True, True]


def test_a_view_restriction_purges_the_article(cdn, committed):
    article = ArticlePageFactory(slug="members-only")
    with committed():
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="clinic"
        )
    assert {f"article-{article.pk}", "articles"} <= set(cdn.purges[0])


def test_changes_in_one_transaction_send_one_purge(nausea, cdn, committed):
    faq = FAQFactory()
    with committed(), publication.atomic():
        nausea.save_revision().publish()
        faq.save_revision().publish()
    [purged] = cdn.purges
    assert {f"side-effect-{nausea.pk}", f"faq-{faq.pk}"} <= set(purged)


def test_nothing_is_sent_when_no_cdn_is_configured(
    nausea, settings, django_capture_on_commit_callbacks
):
    settings.CDN_PURGE_URLS = []
    with django_capture_on_commit_callbacks() as callbacks:
        nausea.save_revision().publish()
    assert not [callback for callback in callbacks if isinstance(callback, PendingPurge)]


def test_a_failing_cdn_never_breaks_a_publish(
    nausea, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CDN_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # nothing listens there
    with (
        caplog.at_level(logging.ERROR, logger="api.cdn.purging"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(nausea, name="Feeling sick")
    nausea.refresh_from_db()
    assert nausea.name == "Feeling sick" and nausea.live
    assert "was not purged" in caplog.text and f"side-effect-{nausea.pk}" in caplog.text


def test_a_reader_asking_the_api_directly_gets_no_keys(api, nausea):
    assert "Surrogate-Key" not in api.get("/api/v1/side-effects/nausea/")


def test_a_partners_private_responses_get_no_keys(api, nausea):
    response = api.get("/api/v1/side-effects/nausea/", HTTP_X_API_KEY=api_key_for(), **CDN)
    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_the_cdn_keeps_no_response_past_the_next_expiry(api, nausea, settings):
    settings.API_CACHE_S_MAXAGE = 3600
    nausea.expire_at = timezone.now() + datetime.timedelta(seconds=90)
    nausea.save()
    cache_control = api.get("/api/v1/faqs/unrelated/", **CDN)["Cache-Control"]
    seconds = int(cache_control.split("s-maxage=")[1].split(",")[0])
    assert 0 < seconds <= 90
    # A reader without a CDN is told the configured lifetime, as before.
    assert "s-maxage=3600" in api.get("/api/v1/faqs/unrelated/")["Cache-Control"]
