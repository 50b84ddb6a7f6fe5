"""The filters of each v1 collection's list (django-filter), built from what the collection
declares: every list has `published_since`; a medically reviewed collection has the review
filters; one whose items apply to treatment forms has `treatment_form`; and its serializer's
`list_filters` add its own, in order (`choices`, `related_slug`, `year`, or a filter of its
own).
Values are read by `api/query_parameters.py`'s fields."""

from collections.abc import Callable

import django_filters
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field

from api import query_parameters
from content_models import collections, enums, review
from content_models.collections import Collection, Relation

# What a serializer declares for a filter of its own: given the collection's model and the
# filter's name (its query parameter), the filter. Built for each collection anew, so the
# filters keep the order they are declared in.
FilterDeclaration = Callable[[type[Model], str], django_filters.Filter]


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = query_parameters.UTCIsoDateTimeField


@extend_schema_field(
    {
        "type": "integer",
        "minimum": query_parameters.YearField.MINIMUM,
        "maximum": query_parameters.YearField.MAXIMUM,
    }
)
class YearFilter(django_filters.NumberFilter):
    """A whole year: 2019.5 is a 400, not rounded."""

    field_class = query_parameters.YearField


class PublishedSinceFilterSet(django_filters.FilterSet):
    """Filters every collection has."""

    published_since = UTCIsoDateTimeFilter(
        field_name="last_published_at",
        lookup_expr="gte",
        help_text="Published (first or again) at or after this ISO 8601 date-time.",
    )


class ReviewFilterSet(PublishedSinceFilterSet):
    """Filters every medically reviewed collection has."""

    reviewed_by = django_filters.CharFilter(
        field_name="reviewed_by__slug", help_text="Slug of the reviewer."
    )
    review_due_before = django_filters.DateFilter(
        field_name="next_review_due",
        lookup_expr="lt",
        help_text="Next review due before this date.",
    )
    review_due_after = django_filters.DateFilter(
        field_name="next_review_due", lookup_expr="gt", help_text="Next review due after this date."
    )
    review_status = django_filters.MultipleChoiceFilter(
        choices=enums.ReviewStatus.choices,
        method="filter_review_status",
        help_text="Only items with this review status (`reviewed`, `overdue`, `not_reviewed`); "
        "repeat it for any of several.",
    )

    def filter_review_status(self, queryset, name, value):
        return queryset.filter(review.any_status_q(value))


def choices(help_text: str | None = None) -> FilterDeclaration:
    """`?<field>=`, repeatable: items whose model field of that name holds any of the values,
    offered from the field's choices. Described by the field's help text unless `help_text`
    says it for the API."""

    def build(model: type[Model], name: str) -> django_filters.Filter:
        described = {"help_text": help_text} if help_text else {}
        field_choices = model._meta.get_field(name).choices
        # A column of the item's own row matches each item once: no DISTINCT (django-filter's
        # default for this filter), which PostgreSQL cannot combine with an order by meaning
        # or a search's ranking (`ordering.order_by_field`, `in_ranking_order`).
        return django_filters.MultipleChoiceFilter(
            choices=field_choices, distinct=False, **described
        )

    return build


def related_slug(relation: Relation, help_text: str) -> FilterDeclaration:
    """`?<name>=<slug>`: items related, through a relation of the registry, to the item of
    that slug."""

    def build(model: type[Model], name: str) -> django_filters.Filter:
        def filter_related(queryset, name, slug):
            # The related items' ids as a subquery, not a join: an item is listed once however
            # many of its links match, with no DISTINCT, which PostgreSQL cannot combine with
            # an order by meaning or a search's ranking.
            related = model.objects.filter(**{f"{relation.link}__{relation.target}__slug": slug})
            return queryset.filter(pk__in=related.values("pk"))

        return django_filters.CharFilter(method=filter_related, help_text=help_text)

    return build


def year(model: type[Model], name: str) -> django_filters.Filter:
    """`?<field>=<year>`: items of that year."""
    return YearFilter(field_name=name)


def filterset_for(
    collection: Collection, declared: dict[str, FilterDeclaration]
) -> type[django_filters.FilterSet]:
    """The FilterSet of a collection's list: the filters every such collection has, then
    those its serializer declares."""
    base = ReviewFilterSet if collection.is_medically_reviewed else PublishedSinceFilterSet
    filters = {}
    if collections.APPLIES_TO in collection.relations:
        filters["treatment_form"] = related_slug(
            collections.APPLIES_TO, "Slug of a treatment form it applies to."
        )
    filters.update(declared)
    attributes = {name: build(collection.model, name) for name, build in filters.items()}
    return type(f"{collection.model.__name__}FilterSet", (base,), attributes)
