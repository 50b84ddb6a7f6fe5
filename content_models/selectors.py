"""Read queries for published content.

Every function returns only what the public may see: live, not expired, in the asked-for
language. Each item's relations (references, treatment forms, side effects, ...) are
prefetched live-only, and so are the relations of those related items, so that a list costs
the same number of queries whatever its length and whichever relations a caller expands.
"""

from django.db.models import Case, IntegerField, Model, Prefetch, Q, QuerySet, When
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.search.backends import get_search_backend

from .generation import ContentGeneration
from .models import (
    FAQ,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)

# Each type's relations to other content: (link relation on the item, field naming the target).
RELATIONS: dict[type[Model], list[tuple[str, str]]] = {
    TreatmentForm: [
        ("reference_links", "reference"),
        ("side_effect_links", "side_effect"),
        ("eligibility_rule_links", "rule"),
        ("condition_links", "condition"),
    ],
    SideEffect: [("reference_links", "reference"), ("treatment_form_links", "treatment_form")],
    EligibilityRule: [("reference_links", "reference"), ("treatment_form_links", "treatment_form")],
    Condition: [("reference_links", "reference"), ("treatment_form_links", "treatment_form")],
    FAQ: [("reference_links", "reference")],
    ArticlePage: [("reference_links", "reference")],
    Reference: [],
    MedicalReviewer: [],
}


def live_q(prefix: str = "") -> Q:
    """Published and not past its expiry, even if the expiry job has not run yet."""
    return Q(**{f"{prefix}live": True}) & (
        Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": timezone.now()})
    )


def is_live(item) -> bool:
    """`live_q` for an item already loaded, e.g. a reviewer reached through a foreign key."""
    return item.live and (item.expire_at is None or item.expire_at > timezone.now())


def live_related(item, relation: str, target: str) -> list:
    """The live items that an item's link relation (e.g. `reference_links`, target `reference`)
    points to, in the order `live_items` prefetched them.

    `live_items` prefetches live targets only; an item reached without that prefetch (embedded
    in an article's blocks) is checked here all the same.
    """
    related = (getattr(link, target) for link in getattr(item, relation).all())
    return [related_item for related_item in related if is_live(related_item)]


def current_content_generation() -> ContentGeneration:
    return ContentGeneration.objects.get(pk=1)


def _has_reviewer(model: type[Model]) -> bool:
    return any(field.name == "reviewed_by" for field in model._meta.get_fields())


def _link_order(link_model, target_field: str, target_model) -> list[str]:
    """The editor's order for links an item owns (its citations, its treatment forms); the
    related items' own order for links owned by the other side (a treatment form's side
    effects), whose sort order belongs to that other item's list."""
    if isinstance(link_model._meta.get_field(target_field), ParentalKey):
        return [f"{target_field}__{name}" for name in target_model._meta.ordering] + ["pk"]
    return ["sort_order", "pk"]


def _item_lookups(model: type[Model], prefix: str = "", depth: int = 1) -> list:
    """Prefetches for an item's relations (live targets only) and, to `depth`, theirs."""
    lookups = []
    if model is TreatmentForm:
        lookups.append(f"{prefix}process_steps")
    for relation, target_field in RELATIONS[model]:
        link_model = model._meta.get_field(relation).related_model
        target_model = link_model._meta.get_field(target_field).related_model
        related = [target_field, f"{target_field}__locale"]
        if _has_reviewer(target_model):
            related.append(f"{target_field}__reviewed_by")
        lookups.append(
            Prefetch(
                f"{prefix}{relation}",
                queryset=link_model.objects.filter(live_q(f"{target_field}__"))
                .select_related(*related)
                .order_by(*_link_order(link_model, target_field, target_model)),
            )
        )
        if depth:
            lookups += _item_lookups(
                target_model, f"{prefix}{relation}__{target_field}__", depth - 1
            )
    return lookups


def live_items(model: type[Model], *, locale: str, related_depth: int | None = 1) -> QuerySet:
    """Live items of a content type in one language.

    `related_depth` says how far relations are prefetched: 1 (the default) for items whose
    relations may be expanded, 0 for items that show their relations as slugs only (items
    embedded in an article), None for items shown without relations (search hits).
    """
    queryset = ArticlePage.objects.live() if model is ArticlePage else model.objects.all()
    queryset = queryset.filter(live_q(), locale__language_code=locale).select_related("locale")
    if related_depth is None:
        return queryset
    if _has_reviewer(model):
        # The reviewer's locale too: an expanded reviewer's `url` names its language.
        queryset = queryset.select_related("reviewed_by", "reviewed_by__locale")
    return queryset.prefetch_related(*_item_lookups(model, depth=related_depth))


# Enough for any real question; bounds the work a vague one can cause.
SEARCH_HIT_LIMIT = 500


def search_ranking(model: type[Model], query: str) -> dict[int, float]:
    """Item id -> relevance for a full-text query, best first (PostgreSQL full-text search
    or SQLite FTS5, through Wagtail's search backend).

    It ranks over every row of the model; callers intersect the ids with a live queryset,
    so any filter combines with search and nothing unpublished can come through.
    """
    results = get_search_backend().search(query, model).annotate_score("_score")
    return {item.pk: item._score for item in results[:SEARCH_HIT_LIMIT]}


def in_ranking_order(queryset: QuerySet, ranking: dict[int, float]) -> QuerySet:
    """The queryset narrowed to the ranked ids, best match first."""
    order = Case(
        *[When(pk=pk, then=position) for position, pk in enumerate(ranking)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=list(ranking)).order_by(order)
