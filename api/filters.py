"""The filter backends every collection's list shares: ordering and search, strict about
what they accept. (Each collection's filters are in `api/v1/filters.py`.)"""

from django.db.models import F, OrderBy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters

from content_models.selectors import in_choice_order, in_ranking_order, live_items, search_hits

from . import query_parameters
from .schema import COMMA_SEPARATED, comma_separated_schema, search_words_schema


class CollectionFilterBackend(DjangoFilterBackend):
    """The collection's filters (django-filter), not built for a list that names none: a
    filter set deep-copies each of its filters, and most lists are read without any."""

    def filter_queryset(self, request, queryset, view):
        # Every other parameter a list accepts is one of its filters (`reject_unknown`).
        if set(request.query_params) <= query_parameters.LIST_PARAMETERS:
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=a,-b` by API field names (a view maps them to model fields in its
    `ordering_fields`); an unknown name is a 400, not silently ignored.

    A choice field sorts by the meaning of its values (common before uncommon before rare),
    and items without a value come last either way. The primary key always comes last: items
    that tie keep one order, so limit/offset pages neither repeat nor skip an item.
    """

    def get_ordering(self, request, queryset, view):
        terms = query_parameters.ordering_terms(request, self.ordering_param, view.ordering_fields)
        if terms is None:
            return [*view.ordering, "pk"]
        return [
            *(
                order_by_field(
                    queryset.model,
                    view.ordering_fields[term.lstrip("-")],
                    descending=term.startswith("-"),
                )
                for term in terms
            ),
            "pk",
        ]

    def get_schema_operation_parameters(self, view):
        terms = [term for name in view.ordering_fields for term in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Fields to order by, comma-separated; '-' first for descending.",
                "schema": comma_separated_schema(terms),
                **COMMA_SEPARATED,
            }
        ]


def order_by_field(model, field_name: str, *, descending: bool) -> OrderBy:
    field = model._meta.get_field(field_name)
    expression = in_choice_order(field_name, field.choices) if field.choices else F(field_name)
    return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)


class WagtailSearchFilter(filters.BaseFilterBackend):
    """`?search=`: full-text search within the collection, combined with any other filter.

    Results come in relevance order unless `?ordering=` is given. The search ranks the live
    items of the view's language; the other filters then keep those they match.
    """

    search_param = "search"

    def filter_queryset(self, request, queryset, view):
        query = query_parameters.search_words(request, self.search_param)
        if query is None:
            return queryset
        candidates = live_items(queryset.model, locale=view.locale, related_depth=None)
        ranked_ids = [hit.pk for hit in search_hits(candidates, query)]
        if "ordering" in request.query_params:
            return queryset.filter(pk__in=ranked_ids)
        return in_ranking_order(queryset, ranked_ids)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": "Words to search for in this collection. "
                + query_parameters.SEARCH_RULE,
                "schema": search_words_schema(),
            }
        ]
