"""What the API contract promises for every collection, checked once here and run in each
collection's own test module by subclassing, e.g.

    class TestSideEffectsContract(ReviewedCollectionContract):
        collection = "side-effects"
        representative = "nausea"

The tests run on the demo content (the module's `demo_content`), adding items with the
factories where the demo content has too few, or too alike, to show a behaviour.
"""

import datetime

from django.utils import timezone

from content_models import collections
from content_models.disclaimer import DISCLAIMERS
from tests.api.snapshots import assert_matches_snapshot
from tests.factories import approve_in_review, reviewer_account

from .helpers import (
    FACTORIES,
    TITLE_FIELDS,
    assert_filter_keeps_only,
    get_json,
    list_all,
    model_of,
    normalised,
    translate,
)

COMMON_FIELDS = {
    "id",
    "type",
    "slug",
    "title",
    "summary",
    "url",
    "html_url",
    "locale",
    "first_published_at",
    "last_published_at",
    "last_reviewed_at",
    "next_review_due",
    "reviewed_by",
    "references",
}


def is_aware_iso_datetime(value: str) -> bool:
    return datetime.datetime.fromisoformat(value).tzinfo is not None


def as_list(relation) -> list:
    """A relation's value as a list, whether it holds many items, one, or none."""
    if relation is None:
        return []
    return relation if isinstance(relation, list) else [relation]


class CollectionContract:
    collection: str = ""
    # The slug of a demo item whose detail is snapshotted and used where one item will do.
    representative: str = ""

    @property
    def list_url(self) -> str:
        return f"/api/v1/{self.collection}/"

    def detail_url(self, slug: str) -> str:
        return f"/api/v1/{self.collection}/{slug}/"

    @property
    def serializer(self):
        return collections.by_name(self.collection).serializer

    def representative_item(self):
        return model_of(self.collection).objects.get(
            slug=self.representative, locale__language_code="en"
        )

    def another_item(self):
        """One more item, published now: some checks need several, and the demo content
        has a single reviewer."""
        now = timezone.now()
        return FACTORIES[self.collection](first_published_at=now, last_published_at=now)

    def test_list_and_detail_match_their_snapshots(self, api):
        assert_matches_snapshot(f"{self.collection}-list", normalised(get_json(api, self.list_url)))
        assert_matches_snapshot(
            f"{self.collection}-detail",
            normalised(get_json(api, self.detail_url(self.representative))),
        )

    def test_list_is_an_envelope_of_count_next_previous_and_results(self, api):
        listing = get_json(api, self.list_url)

        assert set(listing) == {"count", "next", "previous", "results"}
        assert listing["count"] == model_of(self.collection).objects.filter(live=True).count()
        assert listing["previous"] is None
        assert listing["results"]

    def test_limit_and_offset_page_through_the_list_with_next_and_previous(self, api):
        FACTORIES[self.collection].create_batch(2)
        everything = [item["slug"] for item in list_all(api, self.collection)]

        first = get_json(api, self.list_url, limit=2)
        second = get_json(api, first["next"])

        assert first["count"] == second["count"] == len(everything) >= 3
        assert [item["slug"] for item in first["results"]] == everything[:2]
        assert [item["slug"] for item in second["results"]] == everything[2:4]
        assert first["previous"] is None
        assert first["next"] == f"http://testserver{self.list_url}?limit=2&offset=2"
        assert second["previous"] == f"http://testserver{self.list_url}?limit=2"

    def test_detail_by_slug_shows_what_the_list_shows_and_more(self, api):
        listed = next(
            item for item in list_all(api, self.collection) if item["slug"] == self.representative
        )

        detail = get_json(api, self.detail_url(self.representative))

        assert {name: detail[name] for name in listed} == listed
        assert set(detail) == set(self.serializer.Meta.fields)

    def test_unknown_slug_is_a_404(self, api):
        response = api.get(self.detail_url("no-such-item"))

        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    def test_every_item_carries_the_fields_every_collection_shares(self, api):
        for item in list_all(api, self.collection):
            assert set(item) >= COMMON_FIELDS, item["slug"]
            assert item["type"] == self.serializer.collection.type_name
            assert item["url"] == f"http://testserver{self.detail_url(item['slug'])}"
            assert item["html_url"] is None  # no public site is configured
            assert item["locale"] == "en"
            assert is_aware_iso_datetime(item["first_published_at"])
            assert is_aware_iso_datetime(item["last_published_at"])

    def test_html_url_is_the_page_on_the_configured_public_site(self, api, site_settings):
        site_settings.PUBLIC_SITE_BASE_URL = "https://clinic.example"

        item = get_json(api, self.detail_url(self.representative))

        assert item["html_url"] == (
            f"https://clinic.example/{self.collection}/{self.representative}/"
        )

    def test_fields_returns_only_those_plus_id_type_and_attribution(self, api):
        # The licence terms travel with every item, whatever fields are asked for.
        listing = get_json(api, self.list_url, fields="title,slug")
        detail = get_json(api, self.detail_url(self.representative), fields="summary")

        assert {frozenset(item) for item in listing["results"]} == {
            frozenset({"id", "type", "attribution", "title", "slug"})
        }
        assert set(detail) == {"id", "type", "attribution", "summary"}

    def test_a_published_change_shows_at_once_in_the_cached_list_and_detail(self, api):
        list_url, detail_url = f"{self.list_url}?limit=100", self.detail_url(self.representative)
        for url in (list_url, detail_url):
            api.get(url)  # now cached
        item = self.representative_item()
        setattr(item, TITLE_FIELDS[self.collection], "Changed by a new publish")
        item.save_revision().publish()

        listed = {i["slug"]: i["title"] for i in api.get(list_url).json()["results"]}
        assert listed[self.representative] == "Changed by a new publish"
        assert api.get(detail_url).json()["title"] == "Changed by a new publish"

    def test_ordering_by_title_ascending_and_descending(self, api):
        self.another_item()
        ascending = [item["title"] for item in list_all(api, self.collection, ordering="title")]
        descending = [item["title"] for item in list_all(api, self.collection, ordering="-title")]

        assert len(ascending) >= 2
        assert descending == ascending[::-1]

    def test_ordering_by_publication_time(self, api):
        self.another_item()
        item = self.representative_item()
        item.last_published_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        item.save()

        oldest_first = list_all(api, self.collection, ordering="last_published_at")
        newest_first = list_all(api, self.collection, ordering="-last_published_at")

        assert oldest_first[0]["slug"] == newest_first[-1]["slug"] == self.representative
        times = [datetime.datetime.fromisoformat(i["last_published_at"]) for i in newest_first]
        assert times == sorted(times, reverse=True)

    def test_search_finds_matching_items_of_this_collection_only(self, api):
        title = "Zanzibar quartz"
        FACTORIES[self.collection](**{TITLE_FIELDS[self.collection]: title})

        found = list_all(api, self.collection, search="zanzibar")

        assert [item["title"] for item in found] == [title]

    def test_locale_lists_and_shows_items_in_that_language_only(self, api):
        translate(self.collection, self.representative_item(), "es", "Traducción de prueba")

        spanish = list_all(api, self.collection, locale="es")
        detail = get_json(api, self.detail_url(self.representative), locale="es")
        english = list_all(api, self.collection)

        assert [(item["slug"], item["title"], item["locale"]) for item in spanish] == [
            (self.representative, "Traducción de prueba", "es")
        ]
        assert spanish[0]["url"] == (
            f"http://testserver{self.detail_url(self.representative)}?locale=es"
        )
        assert detail["title"] == "Traducción de prueba"
        assert {item["locale"] for item in english} == {"en"}
        assert "Traducción de prueba" not in {item["title"] for item in english}

    def test_published_since_keeps_items_published_at_or_after_it(self, api):
        self.another_item()
        item = self.representative_item()
        item.last_published_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        item.save()

        assert_filter_keeps_only(
            api,
            self.collection,
            {"published_since": "2021-01-01T00:00:00Z"},
            lambda listed: listed["slug"] != self.representative,
        )


class ReviewedCollectionContract(CollectionContract):
    """Clinical content: medically reviewed, citing references, filtered by its review."""

    def test_demo_items_read_not_reviewed_and_cite_references_by_slug(self, api):
        items = list_all(api, self.collection)

        for item in items:
            assert item["review_status"] == "not_reviewed", item["slug"]
            assert item["reviewed_by"] is None
            assert item["last_reviewed_at"] is None
            assert item["next_review_due"] is None
            assert item["attribution"]["last_reviewed_at"] is None
        references = {slug for item in items for slug in item["references"]}
        assert references
        assert references <= {item["slug"] for item in list_all(api, "references")}

    def test_every_item_carries_the_not_medical_advice_disclaimer(self, api):
        items = list_all(api, self.collection)

        assert items
        for item in items:
            assert item["disclaimer"] == DISCLAIMERS["en"]
            assert "not medical advice" in item["disclaimer"]
        assert (
            get_json(api, self.detail_url(self.representative))["disclaimer"] == (DISCLAIMERS["en"])
        )

    def test_a_spanish_item_carries_the_disclaimer_in_spanish(self, api):
        translate(self.collection, self.representative_item(), "es", "Traducción")

        spanish = list_all(api, self.collection, locale="es")

        assert [item["disclaimer"] for item in spanish] == [DISCLAIMERS["es"]]
        assert "no consejo médico" in DISCLAIMERS["es"]

    def test_an_approval_in_medical_review_shows_the_reviewer_and_new_dates(self, api):
        approve_in_review(self.representative_item(), reviewer_account(slug="dr-ada"))

        item = get_json(api, self.detail_url(self.representative))

        assert item["review_status"] == "reviewed"
        assert item["reviewed_by"] == "dr-ada"
        reviewed_at = datetime.datetime.fromisoformat(item["last_reviewed_at"])
        assert timezone.now() - reviewed_at < datetime.timedelta(minutes=5)
        assert item["attribution"]["last_reviewed_at"] == item["last_reviewed_at"]
        due = datetime.date.fromisoformat(item["next_review_due"])
        assert due == reviewed_at.date() + datetime.timedelta(days=365)

    def test_a_publish_outside_medical_review_shows_not_reviewed_and_no_reviewer(self, api):
        item = approve_in_review(self.representative_item(), reviewer_account(slug="dr-ada"))
        item.summary = "A change published without a medical review."
        item.save_revision().publish()

        shown = get_json(api, self.detail_url(self.representative))

        assert shown["summary"] == "A change published without a medical review."
        assert shown["review_status"] == "not_reviewed"
        assert shown["reviewed_by"] is None
        assert shown["last_reviewed_at"] is None
        assert shown["next_review_due"] is None
        assert shown["attribution"]["last_reviewed_at"] is None

    def test_review_status_keeps_items_of_that_status(self, api):
        approve_in_review(self.representative_item())

        assert_filter_keeps_only(
            api,
            self.collection,
            {"review_status": "reviewed"},
            lambda listed: listed["review_status"] == "reviewed",
        )
        assert_filter_keeps_only(
            api,
            self.collection,
            {"review_status": "not_reviewed"},
            lambda listed: listed["review_status"] == "not_reviewed",
        )
        assert list_all(api, self.collection, review_status="overdue") == []
        both = list_all(api, self.collection, review_status=["reviewed", "not_reviewed"])
        assert len(both) == len(list_all(api, self.collection))

    def test_an_unknown_review_status_is_a_400_naming_it(self, api):
        response = api.get(self.list_url, {"review_status": "approved"})

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert "review_status" in response.json()["errors"]

    def test_expand_embeds_each_relation_in_full_instead_of_its_slugs(self, api):
        # The demo content is not reviewed: a review gives `reviewed_by` something to expand.
        approve_in_review(self.representative_item())
        plain = {item["slug"]: item for item in list_all(api, self.collection)}
        for relation in self.serializer.expandable_fields():
            target = self.serializer._declared_fields[relation].serializer_class
            expanded = list_all(api, self.collection, expand=relation)

            for item in expanded:
                embedded = as_list(item[relation])
                assert [entry["slug"] for entry in embedded] == as_list(
                    plain[item["slug"]][relation]
                )
                assert all(entry["type"] == target.collection.type_name for entry in embedded)
                assert all({"title", "url"} <= set(entry) for entry in embedded)
            assert any(as_list(item[relation]) for item in expanded), f"no {relation} to expand"

    def test_reviewed_by_keeps_items_that_reviewer_signed_off(self, api):
        approve_in_review(self.representative_item(), reviewer_account(slug="second-reviewer"))

        assert_filter_keeps_only(
            api,
            self.collection,
            {"reviewed_by": "second-reviewer"},
            lambda listed: listed["reviewed_by"] == "second-reviewer",
        )

    def test_review_due_before_and_after_compare_the_next_review_date(self, api):
        item = approve_in_review(self.representative_item())
        # A review due in 2030, as if approved in 2029: only the workflow writes these fields.
        type(item).objects.filter(pk=item.pk).update(next_review_due=datetime.date(2030, 1, 1))
        approve_in_review(self.another_item())

        assert_filter_keeps_only(
            api,
            self.collection,
            {"review_due_after": "2029-12-31"},
            lambda listed: (
                listed["next_review_due"] is not None and listed["next_review_due"] > "2029-12-31"
            ),
        )
        assert_filter_keeps_only(
            api,
            self.collection,
            {"review_due_before": "2029-12-31"},
            lambda listed: (
                listed["next_review_due"] is not None and listed["next_review_due"] < "2029-12-31"
            ),
        )


class UnreviewedCollectionContract(CollectionContract):
    """References and reviewers: not medically reviewed themselves, and citing nothing."""

    def test_items_have_no_review_and_cite_nothing(self, api):
        for item in list_all(api, self.collection):
            assert item["reviewed_by"] is None
            assert item["last_reviewed_at"] is None
            assert item["next_review_due"] is None
            assert item["references"] == []

    def test_there_is_no_relation_to_expand(self, api):
        response = api.get(self.list_url, {"expand": "references"})

        assert response.status_code == 400
        assert "expand" in response.json()["errors"]
