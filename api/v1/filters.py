"""The filters of each v1 collection's list (django-filter), with choices from
`content_models/enums.py`; values are read by `api/query_parameters.py`'s fields."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from api import query_parameters
from content_models import enums, review


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


class TreatmentFormLinkedFilterSet(ReviewFilterSet):
    treatment_form = django_filters.CharFilter(
        field_name="treatment_form_links__treatment_form__slug",
        distinct=True,
        help_text="Slug of a treatment form it applies to.",
    )


class TreatmentFormFilterSet(ReviewFilterSet):
    route = django_filters.MultipleChoiceFilter(choices=enums.Route.choices)
    regulatory_status = django_filters.MultipleChoiceFilter(
        choices=enums.RegulatoryStatus.choices,
        help_text="Approved for depression, or used off-label.",
    )
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
    outcome = django_filters.MultipleChoiceFilter(choices=enums.ScreeningOutcome.choices)
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
