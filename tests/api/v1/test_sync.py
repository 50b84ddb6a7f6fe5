"""`/api/v1/sync/`: a mirror that follows the cursors ends with exactly the live content."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIRequestFactory

from api.v1.sync import SyncState, sync_page
from content_models.selectors import live_items
from tests.api.v1.helpers import FACTORIES, TITLE_FIELDS, Mirror, model_of
from tests.factories import FAQFactory
from tests.factories.syndication import PartnerFactory, api_key_for

pytestmark = pytest.mark.django_db

# The collections the tests change.
EDITABLE = ["faqs", "side-effects", "references"]


def publish_new(collection: str, **fields):
    item = FACTORIES[collection](live=False, **fields)
    item.save_revision().publish()
    item.refresh_from_db()
    return item


def publish_title(item, collection: str, title: str):
    item.refresh_from_db()
    setattr(item, TITLE_FIELDS[collection], title)
    item.save_revision().publish()


def over_http(api, limit=3):
    def fetch_page(cursor):
        query = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = api.get("/api/v1/sync/", query)
        assert response.status_code == 200, response.content
        return response.json()

    return fetch_page


def live_titles(collections) -> dict[tuple[str, int], str]:
    return {
        (collection, item.pk): getattr(item, TITLE_FIELDS[collection])
        for collection in collections
        for item in live_items(model_of(collection), locale="en", related_depth=None)
    }


def test_first_sync_pages_through_every_live_item_once(api):
    published = [publish_new("faqs"), publish_new("side-effects"), publish_new("references")]
    FAQFactory(live=False, question="A draft nobody may see?")
    mirror = Mirror(over_http(api, limit=2))

    mirror.sync()

    assert {key for key in mirror.items} >= {
        ("faqs", published[0].pk),
        ("side-effects", published[1].pk),
        ("references", published[2].pk),
    }
    assert "A draft nobody may see?" not in str(mirror.items)
    assert mirror.items[("faqs", published[0].pk)]["url"].startswith("http://testserver/")


def test_a_later_sync_brings_only_what_changed(api):
    edited, withdrawn, deleted = (publish_new("faqs") for _ in range(3))
    untouched = publish_new("side-effects")
    mirror = Mirror(over_http(api))
    mirror.sync()

    publish_title(edited, "faqs", "Does ketamine therapy work quickly?")
    withdrawn.unpublish()
    deleted_key = ("faqs", deleted.pk)
    deleted.delete()
    added = publish_new("faqs", question="Can I drive home afterwards?")
    page = over_http(api, limit=100)(mirror.cursor)

    changed = {(record["collection"], record["id"]): record for record in page["records"]}
    assert set(changed) == {
        ("faqs", edited.pk),
        ("faqs", withdrawn.pk),
        deleted_key,
        ("faqs", added.pk),
    }
    assert changed[("faqs", edited.pk)]["item"]["title"] == "Does ketamine therapy work quickly?"
    assert changed[("faqs", withdrawn.pk)]["action"] == "delete"
    assert changed[deleted_key]["action"] == "delete"
    assert ("side-effects", untouched.pk) not in changed
    assert page["has_more"] is False


def test_a_sync_with_nothing_new_is_empty(api):
    publish_new("faqs")
    mirror = Mirror(over_http(api))
    mirror.sync()
    page = over_http(api)(mirror.cursor)
    assert page["records"] == []
    assert page["has_more"] is False


@pytest.mark.parametrize("cursor", ["not-a-cursor", "", "eyJsb2NhbGUiOiJlbiJ9:tampered:sig"])
def test_a_cursor_this_api_did_not_issue_is_a_400(api, cursor):
    response = api.get("/api/v1/sync/", {"cursor": cursor})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "cursor" in response.json()["errors"]


def test_a_cursor_altered_by_the_client_is_a_400(api):
    cursor = api.get("/api/v1/sync/").json()["next_cursor"]
    forged = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    response = api.get("/api/v1/sync/", {"cursor": forged})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_cursor_carries_its_language(api):
    cursor = api.get("/api/v1/sync/", {"locale": "es"}).json()["next_cursor"]
    assert SyncState.from_cursor(cursor, partner=None).locale == "es"
    response = api.get("/api/v1/sync/", {"cursor": cursor, "locale": "en"})
    assert response.status_code == 400
    assert "locale" in response.json()["errors"]


def test_a_collection_leaving_the_scope_is_withdrawn_and_coming_back_is_sent_again():
    faq, side_effect = publish_new("faqs"), publish_new("side-effects")
    request = APIRequestFactory().get("/api/v1/sync/")
    scope = ["faqs", "side-effects"]
    state = SyncState(locale="en", partner=None)

    def fetch_page(cursor):
        nonlocal state
        return sync_page(state, scope=scope, limit=2, request=request)

    mirror = Mirror(fetch_page)
    mirror.sync()
    assert {("faqs", faq.pk), ("side-effects", side_effect.pk)} <= set(mirror.items)

    scope = ["side-effects"]
    mirror.sync()
    assert not any(collection == "faqs" for collection, _id in mirror.items)
    assert ("side-effects", side_effect.pk) in mirror.items

    scope = ["side-effects", "faqs"]
    mirror.sync()
    assert ("faqs", faq.pk) in mirror.items


OPERATIONS = st.one_of(
    st.tuples(st.just("publish"), st.sampled_from(EDITABLE)),
    st.tuples(st.sampled_from(["edit", "unpublish", "republish", "delete"]), st.integers(0, 20)),
    st.tuples(st.just("toggle scope"), st.sampled_from(EDITABLE)),
    st.tuples(st.just("sync a page"), st.none()),
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATIONS, max_size=12))
def test_following_the_cursors_through_any_changes_ends_with_the_live_content(operations):
    request = APIRequestFactory().get("/api/v1/sync/")
    scope = list(EDITABLE)
    items: list[tuple[str, object]] = []

    def fetch_page(cursor):
        # What the client holds between calls is the cursor and nothing else.
        if cursor:
            state = SyncState.from_cursor(cursor, partner=None)
        else:
            state = SyncState(locale="en", partner=None)
        return sync_page(state, scope=scope, limit=2, request=request)

    mirror = Mirror(fetch_page)
    for step, (operation, argument) in enumerate(operations):
        if operation == "publish":
            items.append((argument, publish_new(argument)))
        elif operation == "toggle scope":
            scope = [c for c in scope if c != argument] if argument in scope else [*scope, argument]
        elif operation == "sync a page":
            mirror.sync_one_page()
        elif items:
            collection, item = items[argument % len(items)]
            if item.pk is None:
                continue
            item.refresh_from_db()
            if operation == "edit" and item.live:
                publish_title(item, collection, f"Changed at step {step}")
            elif operation == "unpublish" and item.live:
                item.unpublish()
            elif operation == "republish" and not item.live:
                item.save_revision().publish()
            elif operation == "delete":
                item.delete()

    mirror.sync()

    assert mirror.titles() == live_titles(scope)


def test_a_partner_syncs_only_the_collections_it_may_use_and_loses_those_withdrawn(api):
    faq, side_effect = publish_new("faqs"), publish_new("side-effects")
    partner = PartnerFactory(collections=["faqs", "side-effects"])
    api.credentials(HTTP_X_API_KEY=api_key_for(partner))
    mirror = Mirror(over_http(api))
    mirror.sync()
    assert {collection for collection, _id in mirror.items} == {"faqs", "side-effects"}

    partner.collections = ["side-effects"]
    partner.save()
    mirror.sync()

    assert ("faqs", faq.pk) not in mirror.items
    assert ("side-effects", side_effect.pk) in mirror.items


def test_a_cursor_serves_only_the_client_it_was_issued_to(api):
    api.credentials(HTTP_X_API_KEY=api_key_for(PartnerFactory()))
    cursor = api.get("/api/v1/sync/").json()["next_cursor"]
    api.credentials(HTTP_X_API_KEY=api_key_for(PartnerFactory()))
    response = api.get("/api/v1/sync/", {"cursor": cursor})
    assert response.status_code == 400
    assert "another client" in response.json()["errors"]["cursor"][0]
