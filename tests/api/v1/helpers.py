"""Small helpers the v1 endpoint tests share."""

from wagtail.models import Locale, Page

from content_models import collections
from tests.factories import factory_for

# Each collection's factory.
FACTORIES = {
    collection.name: factory_for(collection.model) for collection in collections.COLLECTIONS
}

# The model field each collection shows as `title`.
TITLE_FIELDS = {
    collection.name: collection.serializer().fields["title"].source
    for collection in collections.COLLECTIONS
}

# What differs between two loads of the same content: database ids, StreamField block ids
# and the moments of publication.
VOLATILE_FIELDS = {"id", "first_published_at", "last_published_at"}


def model_of(collection: str):
    return collections.by_name(collection).model


def normalised(data):
    """A response with the values of `VOLATILE_FIELDS` replaced by placeholders, at any depth,
    and everything else exactly as it was: what a snapshot can compare from run to run."""
    if isinstance(data, dict):
        return {
            key: f"<{key}>" if key in VOLATILE_FIELDS and value is not None else normalised(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [normalised(item) for item in data]
    return data


def get_json(api, url: str, **params) -> dict:
    """A 200's JSON body; a failure shows the problem the API answered with."""
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def list_all(api, collection: str, **params) -> list[dict]:
    """Every item a list request selects (all on one page; the tests hold fewer than 100)."""
    listing = get_json(api, f"/api/v1/{collection}/", limit=100, **params)
    assert listing["next"] is None
    return listing["results"]


def assert_filter_keeps_only(api, collection: str, params: dict, keeps) -> None:
    """The filter `params` lists exactly the items for which `keeps(item)` holds, in the
    unfiltered order; and it tells items apart (some are kept, some are not)."""
    everything = list_all(api, collection)
    expected = [item["slug"] for item in everything if keeps(item)]
    assert 0 < len(expected) < len(everything), "the data cannot show what this filter does"
    assert [item["slug"] for item in list_all(api, collection, **params)] == expected


def translate(collection: str, item, language_code: str, title: str):
    """Publish a translation of an item into another language, under a title of its own."""
    locale = Locale.objects.get(language_code=language_code)
    if isinstance(item, Page):
        # A page's translation lives under its parent's translation, copied along with it.
        translation = item.copy_for_translation(locale, copy_parents=True)
    else:
        translation = item.copy_for_translation(locale)
    setattr(translation, TITLE_FIELDS[collection], title)
    translation.save()
    translation.save_revision().publish()
    return translation


def assert_ordered_by_meaning(ascending: list, descending: list, choices) -> None:
    """Choice values listed as their choices are declared (common, uncommon, rare: their
    meaning, not the alphabet), and the reverse for a descending order; items with no value
    (null: no source gives one) come last either way."""
    rank = list(choices.values).index
    given = [value for value in ascending if value is not None]
    not_given = [None] * (len(ascending) - len(given))
    assert len(set(given)) > 1
    assert ascending == sorted(given, key=rank) + not_given
    assert descending == sorted(given, key=rank, reverse=True) + not_given


class Mirror:
    """A partner's copy, kept by following the sync cursors: (collection, id) -> item."""

    def __init__(self, fetch_page):
        self.fetch_page = fetch_page
        self.items: dict[tuple[str, int], dict] = {}
        self.cursor: str | None = None

    def sync_one_page(self) -> bool:
        page = self.fetch_page(self.cursor)
        for record in page["records"]:
            key = (record["collection"], record["id"])
            if record["action"] == "upsert":
                self.items[key] = record["item"]
            else:
                self.items.pop(key, None)
        self.cursor = page["next_cursor"]
        return page["has_more"]

    def sync(self) -> None:
        while self.sync_one_page():
            pass

    def titles(self) -> dict[tuple[str, int], str]:
        return {key: item["title"] for key, item in self.items.items()}
