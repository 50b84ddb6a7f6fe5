"""HTTP caching: validators, conditional requests, and no stale read after a publish."""

import datetime

import pytest
import redis.connection
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date, parse_http_date
from wagtail.models import PageViewRestriction

from content_models import content_generation
from content_models.models import SideEffectTreatmentForm
from tests.factories import (
    ArticlePageFactory,
    FAQFactory,
    SideEffectFactory,
    TreatmentFormFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nausea():
    side_effect = SideEffectFactory(name="Nausea", slug="nausea")
    form = TreatmentFormFactory(name="IV infusion", slug="iv-infusion")
    side_effect.treatment_form_links.add(SideEffectTreatmentForm(treatment_form=form))
    side_effect.save()
    return side_effect


def publish_rename(item, name):
    item.name = name
    item.save_revision().publish()


def test_every_200_carries_a_strong_etag_last_modified_and_cache_control(api, nausea):
    response = api.get("/api/v1/side-effects/nausea/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "s-maxage=60" in response["Cache-Control"]
    vary = response["Vary"]
    assert "Accept" in vary
    # A shared cache must never answer a partner (who sends a key) with an anonymous response.
    assert "Authorization" in vary and "X-API-Key" in vary


def test_cache_lifetimes_are_configurable(api, nausea, settings):
    settings.API_CACHE_MAX_AGE = 30
    settings.API_CACHE_S_MAXAGE = 600
    cache_control = api.get("/api/v1/side-effects/").headers["Cache-Control"]
    assert "max-age=30" in cache_control and "s-maxage=600" in cache_control


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/side-effects/nausea/",
        "/api/v1/side-effects/?expand=treatment_forms,references,reviewed_by",
        "/api/v1/search/?q=nausea",
    ],
)
def test_matching_etag_gets_304_with_no_body_and_one_query(
    api, nausea, path, django_assert_max_num_queries
):
    etag = api.get(path)["ETag"]
    with django_assert_max_num_queries(1):
        response = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_after_the_last_change_gets_304(api, nausea):
    last_modified = api.get("/api/v1/side-effects/")["Last-Modified"]
    response = api.get("/api/v1/side-effects/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_if_modified_since_before_the_last_change_gets_200(api, nausea):
    response = api.get("/api/v1/side-effects/", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200


def test_stale_etag_gets_the_new_body(api, nausea):
    old_etag = api.get("/api/v1/side-effects/nausea/")["ETag"]
    publish_rename(nausea, "Feeling sick")
    response = api.get("/api/v1/side-effects/nausea/", HTTP_IF_NONE_MATCH=old_etag)
    assert response.status_code == 200
    assert response.json()["title"] == "Feeling sick"


def test_etag_stays_when_an_unrelated_item_is_published(api, nausea):
    before = api.get("/api/v1/side-effects/nausea/")["ETag"]
    FAQFactory(live=False).save_revision().publish()
    after = api.get("/api/v1/side-effects/nausea/")
    assert after["ETag"] == before
    assert after["Last-Modified"] != ""


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/side-effects/",
        "/api/v1/side-effects/nausea/",
        "/api/v1/side-effects/?search=nausea",
        "/api/v1/treatment-forms/iv-infusion/?expand=side_effects",
        "/api/v1/search/?q=nausea",
    ],
)
def test_publishing_a_change_shows_at_once_in_every_response_showing_the_item(api, nausea, path):
    assert "Nausea" in api.get(path).content.decode()  # now cached

    publish_rename(nausea, "Nausea and vomiting")

    assert "Nausea and vomiting" in api.get(path).content.decode()


def test_unpublishing_removes_the_item_from_cached_lists_at_once(api, nausea):
    assert api.get("/api/v1/side-effects/").json()["count"] == 1
    nausea.unpublish()
    assert api.get("/api/v1/side-effects/").json()["count"] == 0
    assert api.get("/api/v1/side-effects/nausea/").status_code == 404


def test_deleting_removes_the_item_from_cached_lists_at_once(api, nausea):
    assert api.get("/api/v1/side-effects/").json()["count"] == 1
    nausea.delete()
    assert api.get("/api/v1/side-effects/").json()["count"] == 0


def test_an_item_reaching_its_expiry_leaves_every_cached_response_at_once(api, nausea, monkeypatch):
    nausea.expire_at = timezone.now() + datetime.timedelta(hours=1)
    nausea.save()
    assert api.get("/api/v1/side-effects/").json()["count"] == 1  # now cached
    last_modified = api.get("/api/v1/side-effects/nausea/")["Last-Modified"]

    # Nothing is saved when the expiry date comes; only the clock moves past it.
    after_expiry = nausea.expire_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after_expiry)

    assert api.get("/api/v1/side-effects/").json()["count"] == 0
    assert api.get("/api/v1/side-effects/nausea/").status_code == 404
    list_modified = api.get("/api/v1/side-effects/")["Last-Modified"]
    assert parse_http_date(list_modified) > parse_http_date(last_modified)


def test_a_review_falling_overdue_shows_at_once_in_cached_responses(api, nausea, monkeypatch):
    nausea.next_review_due = timezone.localdate()
    nausea.save()
    assert api.get("/api/v1/side-effects/nausea/").json()["review_status"] == "reviewed"  # cached

    # Nothing is saved when the due date passes; only the clock moves into the next day.
    next_day = datetime.datetime.combine(
        nausea.next_review_due + datetime.timedelta(days=1),
        datetime.time(0, 0, 1),
        tzinfo=timezone.get_current_timezone(),
    )
    monkeypatch.setattr(timezone, "now", lambda: next_day)

    assert api.get("/api/v1/side-effects/nausea/").json()["review_status"] == "overdue"
    assert api.get("/api/v1/side-effects/", {"review_status": "overdue"}).json()["count"] == 1


def test_a_view_restriction_removes_an_article_from_cached_responses_at_once(api):
    article = ArticlePageFactory(slug="members-only")
    assert api.get("/api/v1/articles/members-only/").status_code == 200  # now cached

    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="clinic"
    )

    assert api.get("/api/v1/articles/members-only/").status_code == 404
    assert api.get("/api/v1/articles/").json()["count"] == 0


def test_a_deploy_serves_no_response_cached_by_the_code_it_replaced(nausea):
    """A deploy runs `migrate`; what the previous code cached is keyed by the old token."""
    before = content_generation.current().token
    call_command("migrate", verbosity=0)
    assert content_generation.current().token != before


def test_errors_are_not_cached(api, nausea):
    assert api.get("/api/v1/side-effects/later/").status_code == 404
    SideEffectFactory(slug="later")
    assert api.get("/api/v1/side-effects/later/").status_code == 200


def test_a_response_cached_under_one_host_name_is_not_served_under_another(api, nausea, settings):
    settings.ALLOWED_HOSTS = ["testserver", "content.example.org"]
    first = api.get("/api/v1/side-effects/nausea/").json()["url"]
    other = api.get("/api/v1/side-effects/nausea/", HTTP_HOST="content.example.org").json()["url"]
    assert first.startswith("http://testserver/")
    assert other.startswith("http://content.example.org/")


def test_a_response_carrying_a_visitors_csrf_token_is_not_shared(admin_client):
    # The docs page's start-up script, which sends the token with Swagger UI's requests.
    first = admin_client.get("/api/v1/docs/?script=")
    second = Client().get("/api/v1/docs/?script=")
    assert "public" not in first.get("Cache-Control", "")
    assert first.cookies["csrftoken"].value not in second.content.decode()


class RedisRoundTrips:
    """Counts what this process sends to Redis: one packed send is one round trip (a
    pipeline or a script is one; each command on its own is one)."""

    def __init__(self, monkeypatch):
        self.count = 0
        send = redis.connection.AbstractConnection.send_packed_command

        def counting(connection, command, *args, **kwargs):
            self.count += 1
            return send(connection, command, *args, **kwargs)

        monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)


@pytest.mark.parametrize(
    "path", ["/api/v1/side-effects/nausea/", "/api/v1/side-effects/?expand=treatment_forms"]
)
def test_a_cached_read_touches_no_database(api, nausea, path, django_assert_num_queries):
    first = api.get(path)
    with django_assert_num_queries(0):
        again = api.get(path)
    assert again.status_code == 200 and again.content == first.content


def test_a_304_touches_no_database(api, nausea, django_assert_num_queries):
    etag = api.get("/api/v1/side-effects/nausea/")["ETag"]
    with django_assert_num_queries(0):
        response = api.get("/api/v1/side-effects/nausea/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_the_rate_limit_count_and_the_cache_lookup_are_one_redis_round_trip(
    api, nausea, monkeypatch
):
    etag = api.get("/api/v1/side-effects/nausea/")["ETag"]  # cached, the script loaded
    round_trips = RedisRoundTrips(monkeypatch)
    assert api.get("/api/v1/side-effects/nausea/").status_code == 200
    assert api.get("/api/v1/side-effects/nausea/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert round_trips.count == 2


def stored_response_key() -> str:
    """The Redis key of the one response this worker has cached."""
    (key,) = cache._cache.get_client(write=True).scan_iter(match=cache.make_key("api:v1:*"))
    return key.decode()


def test_a_response_the_process_holds_is_not_sent_again_by_redis(api, nausea):
    first = api.get("/api/v1/side-effects/nausea/")
    # What Redis stores under the key is not what this process reads any more: it holds it.
    key = stored_response_key()
    cache._cache.get_client(write=True).set(key, b"not a response")
    again = api.get("/api/v1/side-effects/nausea/")
    assert again.status_code == 200 and again.content == first.content


def test_a_response_redis_no_longer_stores_is_built_again_not_taken_from_the_process(
    api, nausea, site_settings
):
    api.get("/api/v1/side-effects/nausea/")
    cache._cache.get_client(write=True).delete(stored_response_key())
    site_settings.CONTENT_ATTRIBUTION_TEXT = "From Example Health."
    again = api.get("/api/v1/side-effects/nausea/")
    assert again.json()["attribution"]["text"] == "From Example Health."


def test_a_response_stored_again_replaces_the_one_the_process_holds(api, nausea, site_settings):
    api.get("/api/v1/side-effects/nausea/")
    cache.clear()  # the generation too: the next read stores it again, with the same token
    site_settings.CONTENT_ATTRIBUTION_TEXT = "From Example Health."
    api.get("/api/v1/side-effects/nausea/")  # built, and stored under the same key
    again = api.get("/api/v1/side-effects/nausea/")
    assert again.json()["attribution"]["text"] == "From Example Health."


def test_a_committed_publish_puts_the_new_generation_in_redis_for_every_process(
    nausea, django_capture_on_commit_callbacks, django_assert_num_queries
):
    content_generation.current()  # held in Redis
    with django_capture_on_commit_callbacks(execute=True):
        publish_rename(nausea, "Feeling sick")
    renewed = content_generation.from_database()
    with django_assert_num_queries(0):
        assert content_generation.current() == renewed


def test_redis_never_goes_back_to_a_generation_older_than_the_one_it_holds(nausea):
    old = content_generation.current()
    publish_rename(nausea, "Feeling sick")
    new = content_generation.current()  # read from the row, held in Redis
    content_generation.store(old)  # a reader that read the row before the commit
    assert content_generation.current() == new != old


def cached_responses() -> int:
    """How many responses the response cache holds (this worker's keys only)."""
    pattern = cache.make_key("api:v1:*")
    return sum(1 for _ in cache._cache.get_client(write=True).scan_iter(match=pattern))


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/json",
        "application/json, text/plain",
        "application/*",
        "text/html, application/json;q=0.9, */*;q=0.8",
        "application/json; charset=utf-8",
    ],
)
def test_every_accept_header_that_gets_json_shares_one_cached_response(api, nausea, accept):
    first = api.get("/api/v1/side-effects/")
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    again = api.get("/api/v1/side-effects/", **headers)
    assert again.content == first.content and again["Content-Type"] == "application/json"
    assert cached_responses() == 1


def test_json_ld_and_json_of_an_item_are_cached_apart(api, nausea):
    json = api.get("/api/v1/side-effects/nausea/")
    linked_data = api.get("/api/v1/side-effects/nausea/", HTTP_ACCEPT="application/ld+json")
    by_format = api.get("/api/v1/side-effects/nausea/?format=jsonld")
    assert json["Content-Type"] == "application/json"
    assert linked_data["Content-Type"] == by_format["Content-Type"] == "application/ld+json"
    assert linked_data.content == by_format.content != json.content
    assert cached_responses() == 3  # ?format=jsonld is another address (links carry it)


def test_indented_json_is_cached_apart_from_compact_json(api, nausea):
    compact = api.get("/api/v1/side-effects/nausea/")
    indented = api.get("/api/v1/side-effects/nausea/", HTTP_ACCEPT="application/json; indent=2")
    assert indented.content != compact.content
    assert indented.json() == compact.json()


def test_one_query_however_its_parameters_are_ordered_or_encoded_is_one_cached_response(
    api, nausea
):
    spellings = [
        "/api/v1/side-effects/?limit=5&offset=0&search=nausea",
        "/api/v1/side-effects/?search=nausea&offset=0&limit=5",
        "/api/v1/side-effects/?offset=%30&limit=5&search=n%61usea",
    ]
    bodies = {api.get(path).content for path in spellings}
    assert len(bodies) == 1
    assert cached_responses() == 1


def test_a_page_past_the_end_of_a_list_is_served_but_not_stored(api, nausea):
    past_the_end = api.get("/api/v1/side-effects/?offset=1000")
    assert past_the_end.status_code == 200 and past_the_end.json()["results"] == []
    assert past_the_end["ETag"]
    assert cached_responses() == 0
    assert api.get("/api/v1/side-effects/?offset=0").status_code == 200
    assert cached_responses() == 1


def test_the_openapi_document_in_yaml_and_in_json_is_cached_apart(api):
    yaml = api.get("/api/v1/schema/")
    json = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert json.json()["openapi"] and yaml.content != json.content
