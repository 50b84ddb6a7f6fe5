"""Filtering, ordering and search shared by every collection, strict about what they accept."""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db.models import F, OrderBy
from django_filters.fields import IsoDateTimeField
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from content_models import enums
from content_models.selectors import in_choice_order, in_ranking_order, live_items, search_hits

LIST_PARAMETERS = {"limit", "offset", "ordering", "search", "fields", "expand", "locale", "format"}
DETAIL_PARAMETERS = {"fields", "expand", "locale", "format"}


def content_languages() -> list[str]:
    """The codes of the languages content is written in: the values `?locale=` takes."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def requested_locale(request) -> str:
    """`?locale=` (a content language code), or the default language."""
    locale = request.query_params.get("locale", settings.LANGUAGE_CODE)
    codes = content_languages()
    if locale not in codes:
        raise ValidationError({"locale": [f"Must be one of: {', '.join(codes)}."]})
    return locale


# How OpenAPI describes a query parameter that takes comma-separated values (`?fields=a,b`):
# an array, serialized in the form style without exploding it into repeated parameters.
# https://spec.openapis.org/oas/v3.0.3#style-values
COMMA_SEPARATED = {"style": "form", "explode": False}


def comma_separated_schema(values) -> dict:
    """The schema of a comma-separated parameter that takes any of `values`."""
    return {"type": "array", "items": {"type": "string", "enum": list(values)}}


def reject_unknown_parameters(request, allowed: set[str]) -> None:
    """Every endpoint's first check of its query: a 400 for a parameter it does not know, or
    for a value no content could match."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: [f"Unknown query parameter. Known: {', '.join(sorted(allowed))}."]
                for name in unknown
            }
        )
    # PostgreSQL text cannot hold a NUL character, so a query with one fails in the database.
    with_nul = sorted(
        name
        for name, values in request.query_params.lists()
        if any("\x00" in value for value in values)
    )
    if with_nul:
        raise ValidationError({name: ["Null characters are not allowed."] for name in with_nul})


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=a,-b` by API field names (a view maps them to model fields in its
    `ordering_fields`); an unknown name is a 400, not silently ignored.

    A choice field sorts by the meaning of its values (common before uncommon before rare),
    and items without a value come last either way. The primary key always comes last: items
    that tie keep one order, so limit/offset pages neither repeat nor skip an item.
    """

    def get_ordering(self, request, queryset, view):
        param = request.query_params.get(self.ordering_param)
        if not param:
            return [*view.ordering, "pk"]
        terms = [term.strip() for term in param.split(",") if term.strip()]
        unknown = [term for term in terms if term.lstrip("-") not in view.ordering_fields]
        if unknown or not terms:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(unknown) or 'nothing'}. "
                        f"Use: {', '.join(view.ordering_fields)} (prefix - to reverse)."
                    ]
                }
            )
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
        query = request.query_params.get(self.search_param, "").strip()
        if not query:
            return queryset
        candidates = live_items(queryset.model, locale=view.locale, related_depth=None)
        ranked_ids = [hit.pk for hit in search_hits(candidates, query)]
        if request.query_params.get("ordering"):
            return queryset.filter(pk__in=ranked_ids)
        return in_ranking_order(queryset, ranked_ids)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": "Words to search for in this collection.",
                "schema": {"type": "string"},
            }
        ]


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, in UTC: ISO 8601 allows UTC offsets PostgreSQL refuses (over
    15:59), and a moment at the calendar's edge may not exist once in UTC."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("Out of the calendar's range.", code="invalid") from None


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


class YearField(forms.IntegerField):
    def to_python(self, value):
        # ASCII digits only, as for `limit`: int() also reads "2_019", " 2019" and other
        # scripts' digits.
        if value not in self.empty_values and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError("Enter a year in digits, e.g. 2019.", code="invalid")
        return super().to_python(value)


class YearFilter(django_filters.NumberFilter):
    """A whole year: 2019.5 is a 400, not rounded."""

    field_class = YearField


class PublishedSinceFilterSet(django_filters.FilterSet):
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


class TreatmentFormLinkedFilterSet(ReviewFilterSet):
    treatment_form = django_filters.CharFilter(
        field_name="treatment_form_links__treatment_form__slug",
        distinct=True,
        help_text="Slug of a treatment form it applies to.",
    )


class TreatmentFormFilterSet(ReviewFilterSet):
    route = django_filters.MultipleChoiceFilter(choices=enums.Route.choices)
    setting = django_filters.ChoiceFilter(
        choices=enums.CareSetting.choices, method="filter_setting", help_text="Where it is given."
    )
    condition = django_filters.CharFilter(
        field_name="condition_links__condition__slug",
        distinct=True,
        help_text="Slug of a condition it is used for.",
    )

    def filter_setting(self, queryset, name, value):
        return queryset.filter(**{enums.CARE_SETTING_FIELDS[value]: True})


class SideEffectFilterSet(TreatmentFormLinkedFilterSet):
    frequency = django_filters.MultipleChoiceFilter(choices=enums.Frequency.choices)
    severity = django_filters.MultipleChoiceFilter(choices=enums.Severity.choices)
    timing = django_filters.MultipleChoiceFilter(choices=enums.Timing.choices)


class EligibilityRuleFilterSet(TreatmentFormLinkedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=enums.RuleKind.choices)
    outcome = django_filters.MultipleChoiceFilter(choices=enums.RuleOutcome.choices)
    answer_type = django_filters.MultipleChoiceFilter(choices=enums.AnswerType.choices)


class ConditionFilterSet(TreatmentFormLinkedFilterSet):
    evidence_strength = django_filters.MultipleChoiceFilter(choices=enums.EvidenceStrength.choices)


class FaqFilterSet(ReviewFilterSet):
    topic = django_filters.MultipleChoiceFilter(choices=enums.FaqTopic.choices)


class ArticleFilterSet(ReviewFilterSet):
    pass


class ReferenceFilterSet(PublishedSinceFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=enums.ReferenceKind.choices)
    year = YearFilter()


class ReviewerFilterSet(PublishedSinceFilterSet):
    pass
