"""Read queries for published content.

Every function returns only what the public may see: live, not expired, in the asked-for
language. Each item's relations (references, treatment forms, side effects, ...) are
prefetched live-only and in the item's language (a relation never crosses languages), and so
are the relations of those related items, so that a list costs the same number of queries
whatever its length. On PostgreSQL, relations shown by their slugs alone (those a caller does
not expand, and those of related items) come as arrays of slugs in the items' own rows, at no
query of their own.
"""

import datetime
import functools
from collections.abc import Container, Iterable, Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction
from wagtail.search.backends import get_search_backend

from . import collections, review
from .blocks import embeddable_models
from .blocks.article_blocks import embedded_item_ids
from .collections import Collection, Relation
from .live import DateOfQuery, TimeOfQuery, is_live, live_q
from .models import ArticlePage, ContentChange, EligibilityRule, ScreeningGuidance, TreatmentForm
from .reused_sql import AnyOf, Parameter, ReusedSQL
from .screening import Question, question_from_rule


def is_live_beside(related_item, item, now: datetime.datetime | None = None) -> bool:
    """Whether `related_item` may be shown with `item`: live (at `now`, by default the
    present), and in the same language (a relation never leads a reader into another
    language)."""
    return related_item.locale_id == item.locale_id and is_live(related_item, now)


def live_related(item, relation: Relation) -> list:
    """The live items in the item's language that its relation (e.g. its citations: link
    relation `reference_links`, target `reference`) points to, in the order `live_items`
    prefetched them.

    `live_items` prefetches only those; an item reached without that prefetch (embedded in an
    article's blocks, a draft shown in preview) is checked here all the same.
    """
    related = (getattr(link, relation.target) for link in _links(item, relation))
    # The time read once for all of them: an expanded list shows thousands of related items.
    now = timezone.now()
    return [related_item for related_item in related if is_live_beside(related_item, item, now)]


def live_related_slugs(item, relation: Relation) -> list[str]:
    """The slugs of `live_related(item, relation)`: read from the item's own row where
    `live_items` put them there (`_with_related_slugs`), else from its prefetched links."""
    slugs = getattr(item, _slugs_attribute(relation), None)
    if slugs is not None:
        return slugs
    links = _links(item, relation)
    if links and hasattr(links[0], LINKED_SLUG):
        return [getattr(link, LINKED_SLUG) for link in links]
    return [related_item.slug for related_item in live_related(item, relation)]


def _links(item, relation: Relation) -> Sequence:
    """The item's links of one relation: the live ones `live_items` prefetched, else (an item
    reached without that prefetch) every one of them."""
    prefetched = getattr(item, _links_attribute(relation), None)
    return prefetched if prefetched is not None else getattr(item, relation.link).all()


def live_referenced(item, attribute: str):
    """The item a foreign key of `item` names (e.g. `reviewed_by`), if it is live and in the
    item's language; else None."""
    related_item = getattr(item, attribute)
    return related_item if related_item is not None and is_live_beside(related_item, item) else None


def next_unsaved_change() -> datetime.datetime | None:
    """The next moment what the public sees changes with no save at all, if one is to come: a
    live item reaching its expiry date, or a live item's review falling overdue (at the start
    of the day after its next review is due, when its `review_status` turns `overdue`).

    The content generation asks at every publish (`content_generation.renew`): the two queries
    over every content table are compiled once per process (`ReusedSQL`), as building and
    compiling them cost several times what running them does.
    """
    moments = [row["expire_at"] for row in _next_expiry().items()]
    for row in _next_review_due().items():
        day_after = row["next_review_due"] + datetime.timedelta(days=1)
        moments.append(
            datetime.datetime.combine(
                day_after, datetime.time(), tzinfo=timezone.get_current_timezone()
            )
        )
    return min(moments, default=None)


@functools.cache
def _next_expiry() -> ReusedSQL:
    upcoming = [
        model.objects.filter(live=True, expire_at__gt=TimeOfQuery()).order_by().values("expire_at")
        for model in collections.MODELS
    ]
    return ReusedSQL(upcoming[0].union(*upcoming[1:]).order_by("expire_at")[:1])


@functools.cache
def _next_review_due() -> ReusedSQL:
    upcoming = [
        collection.model.objects.filter(live=True, next_review_due__gte=DateOfQuery())
        .order_by()
        .values("next_review_due")
        for collection in collections.COLLECTIONS
        if collection.is_medically_reviewed
    ]
    return ReusedSQL(upcoming[0].union(*upcoming[1:]).order_by("next_review_due")[:1])


def _has_reviewer(model: type[Model]) -> bool:
    return any(field.name == "reviewed_by" for field in model._meta.get_fields())


def _link_order(collection: Collection, relation: Relation, target_model) -> list[str]:
    """The editor's order for links an item owns (its citations, its treatment forms); the
    related items' own order for links owned by the other side (a treatment form's side
    effects), whose sort order belongs to that other item's list."""
    if collection.owns(relation):
        return ["sort_order", "pk"]
    return [f"{relation.target}__{name}" for name in target_model._meta.ordering] + ["pk"]


# The attribute of a link, read for a target shown by its slug alone, that holds the slug.
LINKED_SLUG = "linked_slug"


def _live_links(
    model: type[Model], relation: Relation, locale: str, now: TimeOfQuery | None = None
) -> QuerySet:
    """The links of one relation of items of `model` to live targets in `locale` (at `now`,
    by default the present), in the relation's order."""
    target_field = relation.target
    link_model = model._meta.get_field(relation.link).related_model
    target_model = link_model._meta.get_field(target_field).related_model
    return link_model.objects.filter(
        live_q(f"{target_field}__", now),
        **{f"{target_field}__locale__language_code": locale},
    ).order_by(*_link_order(collections.for_model(model), relation, target_model))


def _slugs_in_row() -> bool:
    """Whether the database can put a relation's slugs in an item's own row, as an array:
    PostgreSQL can. Elsewhere (SQLite, for `make run`) they are prefetched as links."""
    return connection.vendor == "postgresql"


def _slugs_attribute(relation: Relation) -> str:
    return f"live_{relation.name}_slugs"


def _links_attribute(relation: Relation) -> str:
    # A list of its own, not the relation's manager: a manager's prefetched links cost a
    # query set copy per item each time they are read (two per item and relation).
    return f"live_{relation.name}_links"


def _with_related_slugs(
    queryset: QuerySet,
    locale: str,
    relations: list[Relation] | None = None,
    now: TimeOfQuery | None = None,
) -> QuerySet:
    """Items each with the slugs of the live targets in `locale` of `relations` (by default
    every relation of theirs), in each relation's order, as arrays in the item's own row: one
    query where a prefetch of each relation's links takes one query per relation (two where
    the targets are read apart). For relations shown as slugs only (those of items embedded
    in an article or themselves related items, and those `?expand=` does not name)."""
    model = queryset.model
    if relations is None:
        relations = collections.for_model(model).relations
    return queryset.annotate(
        **{
            _slugs_attribute(relation): ArraySubquery(
                _live_links(model, relation, locale, now)
                .filter(**{model._meta.get_field(relation.link).field.name: OuterRef("pk")})
                .values(f"{relation.target}__slug")
            )
            for relation in relations
        }
    )


def _shown_in_full(relation: Relation, depth: int, in_full: Container[str] | None) -> bool:
    """Whether an item's relation shows its targets in full (else by their slugs): above
    depth 0, those `in_full` names (all when None)."""
    return depth > 0 and (in_full is None or relation.name in in_full)


def _link_queryset(
    model: type[Model], relation: Relation, locale: str, *, in_full: bool, now: TimeOfQuery | None
) -> QuerySet:
    """An item's links of one relation, to live targets in `locale`, in the relation's order.

    On PostgreSQL, targets shown in full are read by a query of their own
    (`_targets_read_apart`), not with the links. Elsewhere they come with the links, with
    their locale and reviewer; and for targets shown by slug alone (unexpanded relations;
    relations of related items, as expansion is one level deep) each link brings the slug
    (`LINKED_SLUG`) and no target is built: building model instances is most of what a list
    of items costs.
    """
    target_field = relation.target
    link_field = model._meta.get_field(relation.link)
    target_model = link_field.related_model._meta.get_field(target_field).related_model
    queryset = _live_links(model, relation, locale, now)
    if _targets_read_apart():
        return queryset
    if not in_full:
        return queryset.annotate(**{LINKED_SLUG: F(f"{target_field}__slug")}).only(
            # The link's key to the item, by which the prefetch hands each link to its item.
            link_field.field.name
        )
    return queryset.select_related(
        *(f"{target_field}__{name}" for name in _shown_in_full_with(target_model))
    )


def _targets_read_apart() -> bool:
    """Whether related items shown in full are read by a query of their own, with the slugs
    of their relations in their rows, rather than with the links that lead to them: on
    PostgreSQL. Read apart, each is built once however many links lead to it (a list of 100
    side effects citing the same four references builds four, not 400, each with its locale);
    read with the links, their relations' slugs would cost a query per relation."""
    return _slugs_in_row()


def _target_queryset(target_model: type[Model], locale: str, now: TimeOfQuery | None) -> QuerySet:
    """Related items shown in full, read apart from their links (`_targets_read_apart`),
    with the slugs of their own relations (live at `now`)."""
    queryset = target_model.objects.select_related(*_shown_in_full_with(target_model))
    return _with_related_slugs(queryset, locale, now=now)


def _shown_in_full_with(model: type[Model]) -> list[str]:
    """What an item shown in full reads with it: its locale, its reviewer and, for a
    treatment form, the reference stating its regulatory status."""
    related = ["locale"]
    if _has_reviewer(model):
        related.append("reviewed_by")
    if model is TreatmentForm:
        related += ["regulatory_reference", "regulatory_reference__locale"]
    return related


def _item_lookups(
    model: type[Model],
    locale: str,
    prefix: str = "",
    depth: int = 1,
    in_full: Container[str] | None = None,
    now: TimeOfQuery | None = None,
) -> list:
    """Prefetches for an item's relations (live targets in `locale`, at `now`) and, to `depth`,
    theirs. At depth 0 the related items are shown by their slugs only; above it, those of
    the relations `in_full` names (all when None) are shown in full."""
    lookups = []
    if model is TreatmentForm:
        lookups.append(f"{prefix}process_steps")
    collection = collections.for_model(model)
    for relation in collection.relations:
        shown_in_full = _shown_in_full(relation, depth, in_full)
        if not shown_in_full and _slugs_in_row():
            # The slugs are in the items' rows already (`_with_related_slugs`).
            continue
        target_field = relation.target
        link_model = model._meta.get_field(relation.link).related_model
        target_model = link_model._meta.get_field(target_field).related_model
        links = f"{prefix}{_links_attribute(relation)}"
        lookups.append(
            Prefetch(
                f"{prefix}{relation.link}",
                queryset=_link_queryset(model, relation, locale, in_full=shown_in_full, now=now),
                to_attr=_links_attribute(relation),
            )
        )
        if depth and _targets_read_apart():
            lookups.append(
                Prefetch(
                    f"{links}__{target_field}",
                    queryset=_target_queryset(target_model, locale, now),
                )
            )
        if depth:
            lookups += _item_lookups(
                target_model, locale, f"{links}__{target_field}__", depth - 1, now=now
            )
    return lookups


def live_items(
    model: type[Model],
    *,
    locale: str,
    related_depth: int | None = 1,
    in_full: Container[str] | None = None,
) -> QuerySet:
    """Live items of a content type in one language.

    `related_depth` says how far relations are prefetched: 1 (the default) for items whose
    relations may be expanded, 0 for items that show their relations as slugs only (items
    embedded in an article), None for items shown without relations (search hits).
    `in_full` names the relations whose items are shown in full (`?expand=`), the others
    being shown by their slugs; None (the default) reads every related item in full.
    An expanded relation costs two queries on PostgreSQL (its links, then its items), however
    many items; an unexpanded one costs none there.
    """
    if related_depth is None:
        # Built anew: the search backend takes conditions of plain values only.
        return _build_live_items(model, locale, None, None)
    # A copy: the one built is shared by every request of the process.
    return _live_items_built_once(model, locale, related_depth, _as_key(in_full)).all()


def _as_key(in_full: Container[str] | None) -> frozenset[str] | None:
    """`in_full` as the key of what is built once per process for it (a set is unhashable)."""
    return None if in_full is None else frozenset(in_full)


@functools.cache
def _live_items_built_once(
    model: type[Model], locale: str, related_depth: int, in_full: frozenset[str] | None
) -> QuerySet:
    """`live_items`, built once per process: building a query set with its prefetches costs
    about what running it does (an article's detail reads one per type of item it embeds).
    It tells what is live when each query runs (`TimeOfQuery`), not when it was built. As
    many as content types, content languages and sets of relations `?expand=` may name."""
    return _build_live_items(model, locale, related_depth, in_full, now=TimeOfQuery())


def live_item(
    model: type[Model], *, locale: str, slug: str, in_full: Container[str] | None = None
) -> Model:
    """The live item with this slug, as `live_items(...).get(slug=slug)` reads it, with SQL
    compiled once per process (`ReusedSQL`). Raises the model's `DoesNotExist` (or
    `MultipleObjectsReturned`) as `get` does."""
    items = _live_item_by_slug(model, locale, _as_key(in_full)).items(slug=slug)
    if not items:
        raise model.DoesNotExist(f"No live {model._meta.object_name} has the slug {slug!r}.")
    if len(items) > 1:
        raise model.MultipleObjectsReturned(f"Live {model._meta.object_name}s share {slug!r}.")
    return items[0]


@functools.cache
def _live_item_by_slug(
    model: type[Model], locale: str, in_full: frozenset[str] | None
) -> ReusedSQL:
    # Two rows at most: enough to tell one from many, as `get` does.
    return ReusedSQL(
        _live_items_built_once(model, locale, 1, in_full).filter(slug=Parameter("slug"))[:2]
    )


def live_items_by_id(model: type[Model], *, locale: str, ids: Iterable[int]) -> dict[int, Model]:
    """The live items among these ids, by id, showing their relations as slugs only (as
    `live_items(..., related_depth=0).in_bulk(ids)`): for the items an article embeds.

    On PostgreSQL the ids are one array parameter of SQL compiled once per process
    (`ReusedSQL`), whatever their number; elsewhere the query is compiled each time."""
    ids = list(ids)
    if not ids:
        return {}
    if connection.vendor != "postgresql":
        return live_items(model, locale=locale, related_depth=0).order_by().in_bulk(ids)
    return {item.pk: item for item in _live_items_with_ids(model, locale).items(ids=ids)}


@functools.cache
def _live_items_with_ids(model: type[Model], locale: str) -> ReusedSQL:
    # Unordered: the caller looks items up by id.
    queryset = _live_items_built_once(model, locale, 0, None).order_by()
    return ReusedSQL(queryset.filter(AnyOf(F("pk"), Parameter("ids"))))


class LiveItemPages:
    """Every live item of a content type in one language, in one order, read as a paginator
    reads a list (`count()` and a page by slicing), each page with SQL compiled once per
    process (`ReusedSQL`): the commonest list, one no filter narrows."""

    def __init__(
        self,
        model: type[Model],
        *,
        locale: str,
        in_full: Container[str] | None,
        ordering: Sequence[str],
        deferred: Sequence[str] = (),
    ):
        self._count = _live_item_count(model, locale)
        self._pages = _live_item_pages(
            model, locale, _as_key(in_full), tuple(ordering), tuple(deferred)
        )

    def count(self) -> int:
        return self._count.items()[0]["count"]

    def __getitem__(self, page: slice) -> list[Model]:
        return self._pages.items(page=page)


@functools.cache
def _live_item_count(model: type[Model], locale: str) -> ReusedSQL:
    # The live items' conditions alone (nothing each item reads with it), counted: one row,
    # as a constant grouped by is no grouping at all.
    live = _live_items_built_once(model, locale, 0, None).prefetch_related(None).order_by()
    return ReusedSQL(
        live.annotate(every=Value(1)).values("every").annotate(count=Count("*")).values("count")
    )


@functools.cache
def _live_item_pages(
    model: type[Model],
    locale: str,
    in_full: frozenset[str] | None,
    ordering: tuple[str, ...],
    deferred: tuple[str, ...],
) -> ReusedSQL:
    queryset = _live_items_built_once(model, locale, 1, in_full).defer(*deferred)
    return ReusedSQL(queryset.order_by(*ordering), paged=True)


def _build_live_items(
    model: type[Model],
    locale: str,
    related_depth: int | None,
    in_full: Container[str] | None,
    now: TimeOfQuery | None = None,
) -> QuerySet:
    # An article under a view restriction (password, login, groups) is for the readers the
    # restriction admits, which an anonymous API is not. Search (related_depth None) filters
    # through the search backend, which takes only conditions on the model's own fields:
    # Wagtail's `public()`, which reads the restricted paths first. Lists and details take
    # the same condition as a subquery, one query fewer.
    queryset = model.objects.all()
    if model is ArticlePage:
        queryset = ArticlePage.objects.live()
        if related_depth is None:
            queryset = queryset.public()
        else:
            queryset = queryset.exclude(_under_view_restriction())
    # The locale by a subquery, not a join: the search backend filters only on the model's own
    # fields that its `search_fields` declare (`LIVE_FILTER_FIELDS`), and `search_hits`
    # searches this queryset.
    queryset = queryset.filter(
        live_q(now=now), locale__in=Locale.objects.filter(language_code=locale)
    ).select_related("locale")
    if _has_reviewer(model):
        # Whether the reviewer is a demo decides the item's review status (`review.py`), even
        # for a search hit; the reviewer's locale too, since an expanded reviewer's `url` names
        # its language.
        queryset = queryset.select_related("reviewed_by", "reviewed_by__locale")
    if related_depth is None:
        return queryset
    if model is TreatmentForm:
        queryset = queryset.select_related("regulatory_reference", "regulatory_reference__locale")
    if _slugs_in_row():
        shown_by_slug = [
            relation
            for relation in collections.for_model(model).relations
            if not _shown_in_full(relation, related_depth, in_full)
        ]
        queryset = _with_related_slugs(queryset, locale, shown_by_slug, now)
    return queryset.prefetch_related(
        *_item_lookups(model, locale, depth=related_depth, in_full=in_full, now=now)
    )


def _under_view_restriction() -> Exists:
    """A page under a view restriction, its own or an ancestor's: Wagtail's `public()`, which
    reads the restrictions in a query of its own, as a subquery of the page's query. A
    restricted page's path is a prefix of the path of each page below it."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


def is_public(item) -> bool:
    """Whether readers see the item now: live, not expired and, for an article, under no view
    restriction (what `live_items` selects)."""
    return (
        live_items(type(item), locale=item.locale.language_code, related_depth=None)
        .filter(pk=item.pk)
        .exists()
    )


def items_showing(item, *, by_name: bool) -> list[Model]:
    """The public items, in the item's language, whose representation shows something of
    `item`, so that a change of it changes them too.

    Items that embed it in full (an article's body, `Collection.embedding_fields`) show all of
    it, and change with any change of it. With `by_name`, also the items that name it: those
    whose relations in the registry lead to it (citing it, applying to it, or, for a treatment
    form, listing it among its side effects) and those it reviewed; they change when it
    appears, disappears or changes its slug, and so do the articles that embed them.
    """
    locale = item.locale.language_code
    naming = []
    if by_name:
        for collection in collections.COLLECTIONS:
            lookups = [
                f"{relation.link}__{relation.target}"
                for relation in collection.relations
                if collections.related(relation).model is type(item)
            ] + [
                field.name
                for field in collection.model._meta.concrete_fields
                if field.many_to_one and field.related_model is type(item)
            ]
            for lookup in lookups:
                naming += live_items(collection.model, locale=locale, related_depth=None).filter(
                    **{lookup: item.pk}
                )
    found = {(type(other), other.pk): other for other in naming}
    for embedder in _items_embedding([item, *naming], locale=locale):
        found.setdefault((type(embedder), embedder.pk), embedder)
    found.pop((type(item), item.pk), None)
    return list(found.values())


def _items_embedding(items: list, *, locale: str) -> list[Model]:
    """The public items in `locale` whose StreamFields embed any of `items`."""
    wanted = {(type(item), item.pk) for item in items}
    wanted_models = {model for model, _pk in wanted}
    embedding = []
    for collection in collections.COLLECTIONS:
        for field_name in collection.embedding_fields:
            block = collection.model._meta.get_field(field_name).stream_block
            if not wanted_models & embeddable_models(block):
                continue
            candidates = live_items(collection.model, locale=locale, related_depth=None)
            ids = [
                pk
                for pk, value in candidates.values_list("pk", field_name)
                if any(
                    (model, embedded_pk) in wanted
                    for model, embedded_pks in embedded_item_ids(value).items()
                    for embedded_pk in embedded_pks
                )
            ]
            if ids:
                embedding += candidates.filter(pk__in=ids)
    return embedding


# Enough for any real question; bounds the work a vague one can cause.
SEARCH_HIT_LIMIT = 500


def screening_questions(*, locale: str) -> list[Question]:
    """The screener's questions: every live eligibility rule in one language, in the order
    the editors gave them, each with its live references."""
    rules = live_items(EligibilityRule, locale=locale).order_by("position", "title", "pk")
    return [
        question_from_rule(rule, references=tuple(live_related(rule, collections.CITATIONS)))
        for rule in rules
    ]


def screening_guidance(*, locale: str) -> ScreeningGuidance | None:
    """The live screener guidance in one language, else the default language's: the crisis
    guidance an urgent answer shows must never be missing, even while a translation is."""
    live = ScreeningGuidance.objects.filter(live_q()).select_related("locale").order_by("pk")
    return (
        live.filter(locale__language_code=locale).first()
        or live.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    )


def search_hits(queryset: QuerySet, query: str) -> list:
    """The items of `queryset` (e.g. `live_items`) that match a full-text query, best first,
    each with its relevance in `search_score`: at most `SEARCH_HIT_LIMIT` (PostgreSQL
    full-text search or SQLite FTS5, through Wagtail's search backend).

    The database backends rank only the rows the queryset selects, so drafts and other
    languages never take a live item's place within the limit. The backend accepts filters
    only on fields the model's `search_fields` declares as `FilterField`s.
    """
    results = get_search_backend().search(query, queryset).annotate_score("search_score")
    return list(results[:SEARCH_HIT_LIMIT])


def in_ranking_order(queryset: QuerySet, ranked_ids: list[int]) -> QuerySet:
    """The queryset narrowed to the ranked ids, best match first."""
    order = Case(
        *[When(pk=pk, then=position) for position, pk in enumerate(ranked_ids)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ranked_ids).order_by(order)


def in_choice_order(field_name: str, choices) -> Case:
    """An expression ranking a choice field by the order its choices are declared in, which
    is the order of their meaning (common, uncommon, rare), not of their spelling."""
    return Case(
        *(When(**{field_name: value}, then=rank) for rank, (value, _label) in enumerate(choices)),
        output_field=IntegerField(),
    )


class LiveItemVersions:
    """One row per live item of the given collections: `type` (the item's type name),
    `item_id`, `slug`, `modified` (last published), `review_due` (null for content without
    medical review) and `version` (the live revision, new with each publish).

    Ordered by type, then id, so that pages of it neither repeat nor skip an item. Read as a
    paginator reads a list, `count()` and a slice (a page): a page reads only the
    collections it spans, each in id order from its primary key, rather than sorting every
    live item of every collection to take a few; what a page costs does not grow with the
    content, but for counting it (`counts_by_collection`), which a caller that knows the
    counts (as they were when the content last changed) passes in as `counts`.
    """

    def __init__(self, of: list[Collection], *, locale: str, counts: list[int] | None = None):
        self.collections = sorted(of, key=lambda collection: collection.type_name)
        # Built once: an article's query reads the view restrictions as it is built.
        self._live = [
            live_items(collection.model, locale=locale, related_depth=None).order_by()
            for collection in self.collections
        ]
        self._counts = counts

    def count(self) -> int:
        return sum(self.counts_by_collection())

    def __getitem__(self, page: slice) -> list[dict]:
        """The rows from `page.start` up to `page.stop`, in one query (on SQLite, one per
        collection the page spans)."""
        slices, first_row = [], 0
        for collection, live, count in zip(
            self.collections, self._live, self.counts_by_collection(), strict=True
        ):
            start, stop = max(page.start - first_row, 0), min(page.stop - first_row, count)
            if start < stop:
                slices.append(_version_rows(collection, live).order_by("pk")[start:stop])
            first_row += count
        if not slices:
            return []
        first, *others = slices
        if not others:
            rows = first
        elif connection.features.supports_slicing_ordering_in_compound:
            rows = first.union(*others, all=True)
        else:
            # SQLite (`make run`'s) takes no LIMIT inside a union: a query per collection.
            rows = [row for rows_of_one in slices for row in rows_of_one]
        type_order = [collection.type_name for collection in self.collections]
        return sorted(rows, key=lambda row: (type_order.index(row["type"]), row["item_id"]))

    def counts_by_collection(self) -> list[int]:
        """The number of live items of each collection, in order (of `collections`), in one
        query unless they were passed in."""
        if self._counts is None:
            first, *others = [
                live.annotate(type=Value(collection.type_name))
                .values("type")
                .annotate(count=Count("*"))
                for collection, live in zip(self.collections, self._live, strict=True)
            ]
            by_type = {row["type"]: row["count"] for row in first.union(*others, all=True)}
            self._counts = [by_type.get(collection.type_name, 0) for collection in self.collections]
        return self._counts


def _version_rows(collection: Collection, live: QuerySet) -> QuerySet:
    """The collection's live items `live` as `LiveItemVersions` rows."""
    return live.annotate(
        type=Value(collection.type_name),
        item_id=F("pk"),
        item_slug=F("slug"),
        modified=F("last_published_at"),
        # Only a real review is due again (as the items' `next_review_due` shows it).
        review_due=Case(
            When(review.real_review_q(), then=F("next_review_due")),
            default=Value(None, DateField()),
        )
        if collection.is_medically_reviewed
        else Value(None, DateField()),
        version=F("live_revision_id"),
    ).values("type", "item_id", "item_slug", "modified", "review_due", "version")


def latest_change_id() -> int:
    """The id of the newest committed change. Changes commit in id order (see
    `ContentChange`), so every change up to this one is committed and visible."""
    return ContentChange.objects.aggregate(latest=Max("id"))["latest"] or 0


def changes_between(
    after: int, up_to: int, *, models: list[type[Model]], locale: str, limit: int
) -> list[ContentChange]:
    """Changes to these content types in one language, after `after` up to `up_to`, oldest
    first, at most `limit`."""
    content_types = ContentType.objects.get_for_models(*models).values()
    return list(
        ContentChange.objects.filter(
            id__gt=after,
            id__lte=up_to,
            content_type__in=content_types,
            language_code=locale,
        )
        .select_related("content_type")
        .order_by("id")[:limit]
    )


def ids_ever_public(model: type[Model], *, locale: str, after: int, limit: int) -> list[int]:
    """Ids of the items of a type, above `after`, that are live or were ever logged as public
    in one language: everything a mirror may hold of that type."""
    logged = (
        ContentChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            language_code=locale,
            object_id__gt=after,
        )
        .order_by("object_id")
        .values_list("object_id", flat=True)
        .distinct()
    )
    live = (
        live_items(model, locale=locale, related_depth=None)
        .filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The lowest `limit` ids of the union are among the lowest `limit` of each.
    return sorted(set(logged[:limit]) | set(live[:limit]))[:limit]
