"""Only live content leaves the API, by any read path: the leakage matrix.

For every collection, every path by which an item can be read (its list and detail, search
within its collection and across all, expansion from an item related to it, an article's
body blocks, JSON-LD, the manifest and sync) and every kind of content that is not live (a
draft never published, a draft change to a live item, an unpublished, an expired and a
deleted item, an article under a view restriction, and a draft an editor previewed), the
item's title and slug, distinctive markers, never appear. A headless preview shows one draft
to whoever holds its token, and never another item's: the previews of an item that relates
to the hidden one, or of an article that embeds it, are read paths too.
`test_a_live_item_shows_on_every_path` proves that the same markers do appear when the items
are live, so each absence means something.

Each test makes one item of each kind in a collection, each with a title and slug of its own
("Quetzalcoatl draft item", "quetzalcoatl-draft-item"), and the live content through which
paths reach them: an item related to them all (for reviewers, whom an FAQ names alone, an FAQ
each) and an article with a block embedding each. It hides the items, then reads each path
once for all the items it reaches, from an empty cache as a test starts, and checks each item
in a subtest of its own, which names the path and the kind when it fails. Where a read reaches
several items, no item's own marks may show, so a failure names the kind whose item did; where
it reaches one (a detail), no marks at all. A draft change gets a related item and an article
of its own, as its live version shows there: the others are reached where only hidden items
are. A restricted section hides every article, the other kinds' too: it has a test of its own.
The live test makes the same items live and reads the same paths, those that reach one item at
a time for the first item only.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.core.cache import cache
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import PageViewRestriction

from content_models.collections import APPLIES_TO, CITATIONS, Relation, for_model
from content_models.models import FAQ, Condition
from content_models.preview import preview_token
from tests.factories import (
    ArticlePageFactory,
    ConditionFactory,
    FAQFactory,
    MedicallyReviewedFactory,
    MedicalReviewerFactory,
    TreatmentFormFactory,
    approve_in_review,
    reviewer_account,
)

from .helpers import FACTORIES, TITLE_FIELDS, model_of

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Marks:
    """The title and slug that show an item."""

    title: str
    slug: str


# The word every marked title holds, which the search paths search for.
MARKER = "Quetzalcoatl"
# Part of every kind's marks: what a read that reaches one item must not show at all.
ANY_MARKS = Marks(MARKER, slugify(MARKER))
# What a live item keeps showing while a draft change (marked) waits for publication.
LIVE_VERSION = Marks("Ordinary published wording", "ordinary-item")


def marks_of(kind: str) -> Marks:
    """The marks of a kind's item: "Quetzalcoatl draft item", "quetzalcoatl-draft-item". No
    kind's marks are part of another's ("draft" is part of "draft-change", "draft item" is
    not), so marks that show name the kind whose item showed."""
    title = f"{MARKER} {kind} item"
    return Marks(title, slugify(title))


def create(collection: str, marks: Marks, *, live: bool = True, **fields):
    """An item of `collection` showing `marks`, made with `fields` (see `Surroundings.add`)."""
    return FACTORIES[collection](
        **{TITLE_FIELDS[collection]: marks.title, "slug": marks.slug, "live": live}, **fields
    )


# Kinds of content that is not live. Each creates the item, which other items may then relate
# to or embed, and afterwards puts it in its final state.


@dataclass(frozen=True)
class Kind:
    create: Callable
    hide: Callable
    # A draft change leaves the item live: its detail answers, with the live title.
    keeps_live_version: bool = False
    # The collections whose items can be hidden this way (None: every collection).
    collections: frozenset | None = None
    # In a test of its own: it hides every item of the collection, the other kinds' too.
    hides_every_item: bool = False


def create_draft(collection, marks, **fields):
    item = create(collection, marks, live=False, **fields)
    item.save_revision()
    return item


def create_plain(collection, marks, **fields):
    return create(collection, LIVE_VERSION, **fields)


def save_draft_change(collection, item, marks):
    setattr(item, TITLE_FIELDS[collection], marks.title)
    item.slug = marks.slug
    item.save_revision()


def preview(collection, draft, marks):
    # An editor previews the draft through the API, so anything a preview could leave behind
    # (a cached response) is there; the preview itself does show it.
    response = Client().get("/api/v1/preview/", {"token": preview_token(draft)})
    assert marks.title in response.content.decode()


def expire(collection, item, marks):
    # Past its expiry, and still marked live: Wagtail's expiry job has not run yet.
    item.expire_at = timezone.now() - datetime.timedelta(hours=1)
    item.save()


def restrict(collection, article, marks):
    # Live and public until now; only readers with the password may see it.
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def restrict_section(collection, article, marks):
    # A restriction covers the pages below the one it is set on: here, every article.
    PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )


# Only pages can be restricted, and articles are the only pages.
PAGES = frozenset({"articles"})

KINDS = {
    "draft": Kind(create_draft, hide=lambda collection, item, marks: None),
    "previewed-draft": Kind(create_draft, hide=preview),
    "draft-change": Kind(create_plain, hide=save_draft_change, keeps_live_version=True),
    "unpublished": Kind(create, hide=lambda collection, item, marks: item.unpublish()),
    "expired": Kind(create, hide=expire),
    "deleted": Kind(create, hide=lambda collection, item, marks: item.delete()),
    "restricted": Kind(create, hide=restrict, collections=PAGES),
    "in-restricted-section": Kind(
        create, hide=restrict_section, collections=PAGES, hides_every_item=True
    ),
}


def kinds_of(collection: str) -> list[str]:
    return [
        name
        for name, kind in KINDS.items()
        if kind.collections is None or collection in kind.collections
    ]


def kinds_made_together(collection: str) -> list[tuple[str, ...]]:
    """The kinds of `collection` whose items one test makes together, for each test."""
    kinds = kinds_of(collection)
    alone = [kind for kind in kinds if KINDS[kind].hides_every_item]
    return [tuple(kind for kind in kinds if kind not in alone), *[(kind,) for kind in alone]]


# Read paths. Each builds its address from what it goes through, which `Path.reaches` names:
# - "collection": the collection's name; it reaches every item.
# - "item": the collection's name and one item; it reaches that item.
# - "related", "article": a `Reaching` item, related to items or embedding them; it reaches
#   those items.


@dataclass(frozen=True)
class Reaching:
    """A live item through which paths reach the items of `kinds`: one that names them by its
    `relation`, or an article that embeds them."""

    item: Model
    kinds: tuple[str, ...]
    relation: str = ""

    @property
    def url(self) -> str:
        return f"/api/v1/{for_model(type(self.item)).name}/{self.item.slug}/"


@dataclass(frozen=True)
class Path:
    url: Callable
    reaches: str = "collection"
    # The collections whose items this path can reach (None: every collection).
    collections: frozenset | None = None
    # A search for the marker, a word only the hidden version has.
    is_search: bool = False
    # Items appear with their titles; the manifest names them by slug only.
    shows_titles: bool = True

    @property
    def is_detail(self) -> bool:
        """A detail of the item itself: 404 unless a live version remains."""
        return self.reaches == "item"

    def shown(self, marks: Marks) -> str:
        """What an item with these marks shows on this path."""
        return marks.title if self.shows_titles else marks.slug


# JSON-LD names treatment forms (a condition's possible treatments), side effects and
# contraindications (a treatment form's), citations and reviewers; not conditions.
JSONLD_RELATED = frozenset(
    {"treatment-forms", "side-effects", "eligibility-rules", "references", "reviewers"}
)
# An article's JSON-LD is about the forms, side effects and rules it embeds, its FAQs parts.
JSONLD_ARTICLE = frozenset({"treatment-forms", "side-effects", "eligibility-rules", "faqs"})
# Each type that an article can embed: the body block that does, and its value for an item.
ARTICLE_BLOCKS = {
    "treatment-forms": ("treatment_form", lambda pk: pk),
    "side-effects": ("side_effect_list", lambda pk: {"heading": "", "items": [pk]}),
    "eligibility-rules": ("eligibility_rule_list", lambda pk: {"heading": "", "items": [pk]}),
    "faqs": ("faq_list", lambda pk: {"heading": "", "items": [pk]}),
    "references": ("citations", lambda pk: [pk]),
}

PATHS = {
    "list": Path(lambda collection: f"/api/v1/{collection}/?limit=100"),
    "detail": Path(lambda collection, item: f"/api/v1/{collection}/{item.slug}/", reaches="item"),
    "search": Path(lambda collection: f"/api/v1/{collection}/?search={MARKER}", is_search=True),
    "global-search": Path(
        lambda collection: f"/api/v1/search/?q={MARKER}&limit=100", is_search=True
    ),
    "expansion": Path(
        lambda related: f"{related.url}?expand={related.relation}",
        reaches="related",
        collections=JSONLD_RELATED | {"conditions"},
    ),
    "article-body": Path(
        lambda article: article.url, reaches="article", collections=frozenset(ARTICLE_BLOCKS)
    ),
    "jsonld-detail": Path(
        lambda collection, item: f"/api/v1/{collection}/{item.slug}/?format=jsonld",
        reaches="item",
    ),
    "jsonld-of-related": Path(
        lambda related: f"{related.url}?format=jsonld",
        reaches="related",
        collections=JSONLD_RELATED,
    ),
    "jsonld-of-article": Path(
        lambda article: f"{article.url}?format=jsonld",
        reaches="article",
        collections=JSONLD_ARTICLE,
    ),
    "preview-of-related-item": Path(
        lambda related: (
            f"/api/v1/preview/?token={preview_token(related.item)}&expand={related.relation}"
        ),
        reaches="related",
        collections=JSONLD_RELATED | {"conditions"},
    ),
    "preview-of-embedding-article": Path(
        lambda article: f"/api/v1/preview/?token={preview_token(article.item)}",
        reaches="article",
        collections=frozenset(ARTICLE_BLOCKS),
    ),
    "manifest": Path(lambda collection: "/api/v1/manifest/?limit=100", shows_titles=False),
    # The first call of a mirror: every live item, in full.
    "sync": Path(lambda collection: "/api/v1/sync/"),
}


@dataclass(frozen=True)
class Read:
    """One address that a path reads, and the kinds whose items it reaches."""

    path: str
    url: str
    kinds: tuple[str, ...]

    def marks(self, kind: str) -> Marks:
        """What must not show of the item of `kind`, and what does when it is live: its own
        marks where this read reaches several items, any marks where it reaches one."""
        return marks_of(kind) if len(self.kinds) > 1 else ANY_MARKS


# What the items are made with, and what reaches them.

# The collections whose factories give each item a reviewer of its own.
GIVEN_A_REVIEWER = frozenset(
    name for name, factory in FACTORIES.items() if issubclass(factory, MedicallyReviewedFactory)
)
# The collections whose items name their treatment forms themselves: the form related to them
# is made first, and each item is made naming it.
NAME_THEIR_FORMS = frozenset({"side-effects", "eligibility-rules", "conditions"})
# A reference that is cited, or a reviewer named on content, cannot be deleted (the link
# protects it), so there is no deleted one for another item to relate to.
UNRELATABLE = {("references", "deleted"), ("reviewers", "deleted")}


def links(model: type[Model], relation: Relation, targets) -> list:
    """Unsaved links of `relation` to each of `targets`, to make an item of `model` with: it is
    saved once, as an editor saves an item with its inline links."""
    link_model = model._meta.get_field(relation.link).related_model
    return [link_model(**{relation.target: target}) for target in targets]


def faq_reviewed_by(reviewer, **fields):
    if reviewer.live:
        # A reviewer is named only by a review: the FAQ is approved by the reviewer's account.
        faq = approve_in_review(FAQFactory(**fields), reviewer_account(profile=reviewer))
        assert faq.reviewed_by_id == reviewer.pk
        return faq
    # A reviewer never published cannot approve: the FAQ names them directly.
    return FAQFactory(**{**fields, "reviewed_by": reviewer})


class Surroundings:
    """Items of one collection by kind, and the live content through which the paths that do
    not list the whole collection reach them: an item related to them all (or for reviewers,
    whom an FAQ names alone, an FAQ each) and an article with a block embedding each, made on
    first use (before the items are hidden).

    A path that reaches one item at a time reads each item, or with `read_each_item=False`
    the first only (enough to show that such a path shows an item).
    """

    def __init__(self, collection: str, *, read_each_item: bool = True):
        self.collection = collection
        self.read_each_item = read_each_item
        self.items = {}

    @cached_property
    def reviewed(self) -> dict:
        # What is made here that is medically reviewed is reviewed by this one reviewer (who
        # reviewed it shows nothing of the hidden items; a reviewer each only costs time).
        return {"reviewed_by": MedicalReviewerFactory()}

    def add(self, kind: str, create_item: Callable) -> None:
        """Make the item of a kind: `create_item(collection, marks, **fields)`."""
        fields = self.reviewed if self.collection in GIVEN_A_REVIEWER else {}
        if self.collection in NAME_THEIR_FORMS:
            model = model_of(self.collection)
            fields = {**fields, "treatment_form_links": links(model, APPLIES_TO, [self.form])}
        self.items[kind] = create_item(self.collection, marks_of(kind), **fields)

    def read_alone(self, kinds) -> list[str]:
        """Of `kinds`, those whose items the paths that reach one item at a time read."""
        return list(kinds) if self.read_each_item else list(kinds)[:1]

    @cached_property
    def form(self):
        return TreatmentFormFactory(**self.reviewed)

    @cached_property
    def related(self) -> list[Reaching]:
        items = {
            kind: item
            for kind, item in self.items.items()
            if (self.collection, kind) not in UNRELATABLE
        }
        kinds = tuple(items)
        if self.collection in NAME_THEIR_FORMS:
            return [Reaching(self.form, kinds, relation=self.collection.replace("-", "_"))]
        if self.collection == "treatment-forms":
            treated_with = links(Condition, APPLIES_TO, items.values())
            condition = ConditionFactory(**self.reviewed, treatment_form_links=treated_with)
            return [Reaching(condition, kinds, relation="treatment_forms")]
        if self.collection == "references":
            faq = FAQFactory(**self.reviewed, reference_links=links(FAQ, CITATIONS, items.values()))
            return [Reaching(faq, kinds, relation="references")]
        return [
            Reaching(faq_reviewed_by(items[kind], **self.reviewed), (kind,), relation="reviewed_by")
            for kind in self.read_alone(items)
        ]

    @cached_property
    def embedding_article(self) -> Reaching:
        block_type, value = ARTICLE_BLOCKS[self.collection]
        body = [{"type": block_type, "value": value(item.pk)} for item in self.items.values()]
        return Reaching(ArticlePageFactory(body=body), tuple(self.items))

    def reads(self) -> list[Read]:
        """Every read of the paths that reach the items one at a time, or through what is
        related to them or embeds them."""
        if not self.items:
            return []
        reads = []
        for name, path in PATHS.items():
            if path.collections is not None and self.collection not in path.collections:
                continue
            if path.reaches == "item":
                reads += [
                    Read(name, path.url(self.collection, self.items[kind]), (kind,))
                    for kind in self.read_alone(self.items)
                ]
            elif path.reaches == "related":
                reads += [Read(name, path.url(related), related.kinds) for related in self.related]
            elif path.reaches == "article":
                article = self.embedding_article
                reads.append(Read(name, path.url(article), article.kinds))
        return reads


def reads_of_whole_collection(collection: str, kinds: list[str]) -> list[Read]:
    """The reads of the paths that list every item of the collection (and of others)."""
    return [
        Read(name, path.url(collection), tuple(kinds))
        for name, path in PATHS.items()
        if path.reaches == "collection"
    ]


def read(api, url: str):
    """A reader's response, from an empty cache: no path is answered from what an earlier
    read of another path left there."""
    cache.clear()
    return api.get(url)


@pytest.mark.parametrize("collection", list(FACTORIES))
def test_a_live_item_shows_on_every_path(api, subtests, collection):
    kinds = kinds_of(collection)
    around = Surroundings(collection, read_each_item=False)
    for kind in kinds:
        around.add(kind, create)

    for planned in reads_of_whole_collection(collection, kinds) + around.reads():
        path = PATHS[planned.path]
        response = read(api, planned.url)
        body = response.content.decode()
        for kind in planned.kinds:
            with subtests.test(path=planned.path, kind=kind):
                assert response.status_code == 200
                assert path.shown(planned.marks(kind)) in body


@pytest.mark.parametrize(
    ("collection", "kinds"),
    [
        pytest.param(collection, kinds, id=f"{collection}-{'+'.join(kinds)}")
        for collection in FACTORIES
        for kinds in kinds_made_together(collection)
    ],
)
def test_content_that_is_not_live_never_shows(api, subtests, collection, kinds):
    # A draft change's live version shows where an item relates to it or embeds it: what
    # reaches it is its own, and the other items are reached where nothing of theirs is live.
    hidden, changed = Surroundings(collection), Surroundings(collection)
    for kind in kinds:
        (changed if KINDS[kind].keeps_live_version else hidden).add(kind, KINDS[kind].create)
    reads = reads_of_whole_collection(collection, kinds) + hidden.reads() + changed.reads()
    for kind, item in {**hidden.items, **changed.items}.items():
        KINDS[kind].hide(collection, item, marks_of(kind))

    for planned in reads:
        path = PATHS[planned.path]
        response = read(api, planned.url)
        body = response.content.decode()
        for kind in planned.kinds:
            marks, keeps_live_version = planned.marks(kind), KINDS[kind].keeps_live_version
            with subtests.test(path=planned.path, kind=kind):
                assert marks.title not in body
                if not path.is_detail:  # a detail's 404 names the slug it was asked for
                    assert marks.slug not in body
                if path.is_detail:
                    assert response.status_code == (200 if keeps_live_version else 404)
                else:
                    assert response.status_code == 200
                if keeps_live_version:
                    # The live version shows where the item does; a search for words that
                    # only the draft has does not find it.
                    assert (path.shown(LIVE_VERSION) in body) is not path.is_search
