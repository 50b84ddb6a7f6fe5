"""Only live content leaves the API, by any read path: the leakage matrix.

For every collection, every path by which an item can be read (its list and detail, search
within its collection and across all, expansion from an item related to it, an article's
body blocks, JSON-LD, the manifest and sync) and every kind of content that is not live (a
draft never published, a draft change to a live item, an unpublished, an expired and a
deleted item, an article under a view restriction, and a draft an editor previewed), the
item's title and slug, distinctive markers, never appear. A headless preview shows one draft
to whoever holds its token, and never another item's: the previews of an item that relates
to the hidden one, or of an article that embeds it, are read paths too.
`test_a_live_item_shows_on_every_path` proves that the same marker does appear when the item
is live, so each absence means something.

Each test makes one item of one kind and the content that reaches it once, then reads every
path in a subtest of its own, which names the path when it fails; each read starts with an
empty cache, as a test does.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from content_models.preview import preview_token
from tests.factories import (
    ArticlePageFactory,
    ConditionFactory,
    FAQFactory,
    TreatmentFormFactory,
    apply_to,
    approve_in_review,
    cite,
    reviewer_account,
)

from .helpers import FACTORIES, TITLE_FIELDS, model_of

pytestmark = pytest.mark.django_db

MARKER = "Quetzalcoatl"
MARKED_SLUG = "quetzalcoatl"
# The title and slug a live item keeps while a draft change (titled and slugged with the
# markers) waits for publication.
LIVE_TITLE = "Ordinary published wording"
LIVE_SLUG = "ordinary-item"


def create(collection: str, *, title: str, slug: str, live: bool = True):
    return FACTORIES[collection](**{TITLE_FIELDS[collection]: title, "slug": slug, "live": live})


# Kinds of content that is not live. Each creates the item, which paths below may then
# relate other items to, and afterwards puts it in its final state.


@dataclass(frozen=True)
class Kind:
    create: Callable
    hide: Callable
    # A draft change leaves the item live: its detail answers, with the live title.
    keeps_live_version: bool = False
    # The collections whose items can be hidden this way (None: every collection).
    collections: frozenset | None = None


def create_draft(collection):
    item = create(collection, title=MARKER, slug=MARKED_SLUG, live=False)
    item.save_revision()
    return item


def create_marked(collection):
    return create(collection, title=MARKER, slug=MARKED_SLUG)


def create_plain(collection):
    return create(collection, title=LIVE_TITLE, slug=LIVE_SLUG)


def save_draft_change(collection, item):
    setattr(item, TITLE_FIELDS[collection], MARKER)
    item.slug = MARKED_SLUG
    item.save_revision()


def preview(collection, draft):
    # An editor previews the draft through the API, so anything a preview could leave behind
    # (a cached response) is there; the preview itself does show it.
    response = Client().get("/api/v1/preview/", {"token": preview_token(draft)})
    assert MARKER in response.content.decode()


def expire(collection, item):
    # Past its expiry, and still marked live: Wagtail's expiry job has not run yet.
    item.expire_at = timezone.now() - datetime.timedelta(hours=1)
    item.save()


def restrict(collection, article):
    # Live and public until now; only readers with the password may see it.
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def restrict_section(collection, article):
    # A restriction covers the pages below the one it is set on: here, every article.
    PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )


# Only pages can be restricted, and articles are the only pages.
PAGES = frozenset({"articles"})

KINDS = {
    "draft": Kind(create_draft, hide=lambda collection, item: None),
    "previewed-draft": Kind(create_draft, hide=preview),
    "draft-change": Kind(create_plain, hide=save_draft_change, keeps_live_version=True),
    "unpublished": Kind(create_marked, hide=lambda collection, item: item.unpublish()),
    "expired": Kind(create_marked, hide=expire),
    "deleted": Kind(create_marked, hide=lambda collection, item: item.delete()),
    "restricted": Kind(create_marked, hide=restrict, collections=PAGES),
    "in-restricted-section": Kind(create_marked, hide=restrict_section, collections=PAGES),
}


# Read paths. Each takes the item's `Surroundings` and returns the address to read.


def related_item(collection: str, item) -> tuple[str, str, str]:
    """Create a live item that relates to `item`: its collection, slug, and the relation."""
    if collection == "treatment-forms":
        condition = ConditionFactory()
        apply_to(condition, item)
        return "conditions", condition.slug, "treatment_forms"
    if collection in ("side-effects", "eligibility-rules", "conditions"):
        form = TreatmentFormFactory()
        apply_to(item, form)
        return "treatment-forms", form.slug, collection.replace("-", "_")
    if collection == "references":
        faq = FAQFactory()
        cite(faq, item)
        return "faqs", faq.slug, "references"
    if item.live:
        # A reviewer is named only by a review: the FAQ is approved by the reviewer's account.
        faq = approve_in_review(FAQFactory(), reviewer_account(profile=item))
        assert faq.reviewed_by_id == item.pk
    else:
        # A reviewer never published cannot approve: the FAQ names them directly.
        faq = FAQFactory(reviewed_by=item)
    return "faqs", faq.slug, "reviewed_by"


# Each type that an article can embed: the body block that does, and its value for an item.
ARTICLE_BLOCKS = {
    "treatment-forms": ("treatment_form", lambda pk: pk),
    "side-effects": ("side_effect_list", lambda pk: {"heading": "", "items": [pk]}),
    "eligibility-rules": ("eligibility_rule_list", lambda pk: {"heading": "", "items": [pk]}),
    "faqs": ("faq_list", lambda pk: {"heading": "", "items": [pk]}),
    "references": ("citations", lambda pk: [pk]),
}


def create_embedding_article(collection: str, item):
    block_type, value = ARTICLE_BLOCKS[collection]
    return ArticlePageFactory(body=[{"type": block_type, "value": value(item.pk)}])


class Surroundings:
    """An item, and the live content through which paths reach it: an item related to it and
    an article embedding it, each created on first use (before the item is hidden) and then
    shared by every path that goes through it."""

    def __init__(self, collection: str, item):
        self.collection = collection
        self.item = item

    @cached_property
    def related(self) -> tuple[str, str, str]:
        return related_item(self.collection, self.item)

    @cached_property
    def embedding_article(self):
        return create_embedding_article(self.collection, self.item)


def embedding_article(around: Surroundings) -> str:
    return f"/api/v1/articles/{around.embedding_article.slug}/"


def preview_of_embedding_article(around: Surroundings) -> str:
    return f"/api/v1/preview/?token={preview_token(around.embedding_article)}"


def preview_of_related_item(around: Surroundings) -> str:
    related_collection, slug, relation = around.related
    related = model_of(related_collection).objects.get(slug=slug)
    return f"/api/v1/preview/?token={preview_token(related)}&expand={relation}"


def expanded_in_related_item(around: Surroundings) -> str:
    related_collection, slug, relation = around.related
    return f"/api/v1/{related_collection}/{slug}/?expand={relation}"


def jsonld_of_related_item(around: Surroundings) -> str:
    related_collection, slug, _relation = around.related
    return f"/api/v1/{related_collection}/{slug}/?format=jsonld"


@dataclass(frozen=True)
class Path:
    url: Callable
    # The collections whose items this path can reach (None: every collection).
    collections: frozenset | None = None
    # A detail of the item itself: 404 unless a live version remains.
    is_detail: bool = False
    # A search for the marker, a word only the hidden version has.
    is_search: bool = False
    # Items appear with their titles; the manifest names them by slug only.
    shows_titles: bool = True

    def shows(self, *, live_version: bool) -> str:
        """What the item shows on this path when marked, or in its live version."""
        if self.shows_titles:
            return LIVE_TITLE if live_version else MARKER
        return LIVE_SLUG if live_version else MARKED_SLUG


# JSON-LD names treatment forms (a condition's possible treatments), side effects and
# contraindications (a treatment form's), citations and reviewers; not conditions.
JSONLD_RELATED = frozenset(
    {"treatment-forms", "side-effects", "eligibility-rules", "references", "reviewers"}
)
# An article's JSON-LD is about the forms, side effects and rules it embeds, its FAQs parts.
JSONLD_ARTICLE = frozenset({"treatment-forms", "side-effects", "eligibility-rules", "faqs"})

PATHS = {
    "list": Path(lambda around: f"/api/v1/{around.collection}/?limit=100"),
    "detail": Path(
        lambda around: f"/api/v1/{around.collection}/{around.item.slug}/", is_detail=True
    ),
    "search": Path(lambda around: f"/api/v1/{around.collection}/?search={MARKER}", is_search=True),
    "global-search": Path(lambda around: f"/api/v1/search/?q={MARKER}&limit=100", is_search=True),
    "expansion": Path(expanded_in_related_item, collections=JSONLD_RELATED | {"conditions"}),
    "article-body": Path(embedding_article, collections=frozenset(ARTICLE_BLOCKS)),
    "jsonld-detail": Path(
        lambda around: f"/api/v1/{around.collection}/{around.item.slug}/?format=jsonld",
        is_detail=True,
    ),
    "jsonld-of-related": Path(jsonld_of_related_item, collections=JSONLD_RELATED),
    "jsonld-of-article": Path(
        lambda around: f"{embedding_article(around)}?format=jsonld",
        collections=JSONLD_ARTICLE,
    ),
    "preview-of-related-item": Path(
        preview_of_related_item, collections=JSONLD_RELATED | {"conditions"}
    ),
    "preview-of-embedding-article": Path(
        preview_of_embedding_article, collections=frozenset(ARTICLE_BLOCKS)
    ),
    "manifest": Path(lambda around: "/api/v1/manifest/?limit=100", shows_titles=False),
    # The first call of a mirror: every live item, in full.
    "sync": Path(lambda around: "/api/v1/sync/"),
}

# A reference that is cited, or a reviewer named on content, cannot be deleted (the link
# protects it), so there is no deleted one for another item to relate to.
IMPOSSIBLE = {
    ("references", "expansion", "deleted"),
    ("references", "jsonld-of-related", "deleted"),
    ("reviewers", "expansion", "deleted"),
    ("reviewers", "jsonld-of-related", "deleted"),
    ("references", "preview-of-related-item", "deleted"),
    ("reviewers", "preview-of-related-item", "deleted"),
}


def paths_of(collection: str, kind: str | None = None) -> list[str]:
    """The paths that reach items of `collection` (hidden the way `kind` says, if given)."""
    return [
        name
        for name, path in PATHS.items()
        if (path.collections is None or collection in path.collections)
        and (collection, name, kind) not in IMPOSSIBLE
    ]


def kinds_of(collection: str) -> list[str]:
    return [
        name
        for name, kind in KINDS.items()
        if kind.collections is None or collection in kind.collections
    ]


def read(api, url: str):
    """A reader's response, from an empty cache: no path is answered from what an earlier
    read of another path left there."""
    cache.clear()
    return api.get(url)


@pytest.mark.parametrize("collection", list(FACTORIES))
def test_a_live_item_shows_on_every_path(api, subtests, collection):
    around = Surroundings(collection, create_marked(collection))
    urls = {name: PATHS[name].url(around) for name in paths_of(collection)}

    for name, url in urls.items():
        with subtests.test(path=name):
            response = read(api, url)

            assert response.status_code == 200
            assert PATHS[name].shows(live_version=False) in response.content.decode()


@pytest.mark.parametrize(
    ("collection", "kind"),
    [(collection, kind) for collection in FACTORIES for kind in kinds_of(collection)],
)
def test_content_that_is_not_live_never_shows(api, subtests, collection, kind):
    item = KINDS[kind].create(collection)
    around = Surroundings(collection, item)
    urls = {name: PATHS[name].url(around) for name in paths_of(collection, kind)}
    KINDS[kind].hide(collection, item)

    for name, url in urls.items():
        path = PATHS[name]
        with subtests.test(path=name):
            response = read(api, url)

            body = response.content.decode()
            assert MARKER not in body
            if not path.is_detail:  # a detail's 404 names the slug it was asked for
                assert MARKED_SLUG not in body
            if path.is_detail:
                assert response.status_code == (200 if KINDS[kind].keeps_live_version else 404)
            else:
                assert response.status_code == 200
            if KINDS[kind].keeps_live_version:
                # The live version shows where the item does; a search for words that only
                # the draft has does not find it.
                assert (path.shows(live_version=True) in body) is not path.is_search
