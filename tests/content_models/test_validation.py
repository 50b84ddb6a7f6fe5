"""The model rules that keep nonsense out of clinical content, with messages a clinician reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Locale

from content_models.enums import AnswerType, RuleKind, ScreeningOutcome
from tests.factories import (
    ConditionFactory,
    EligibilityRuleFactory,
    MedicalReviewerFactory,
    SideEffectFactory,
    TreatmentFormFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(item) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        item.full_clean()
    return raised.value.message_dict


def problems_of(item) -> dict[str, list[str]]:
    """The item's validation errors, none if it is valid."""
    try:
        item.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_valid_factory_items_pass_validation():
    for item in (TreatmentFormFactory(), SideEffectFactory(), EligibilityRuleFactory()):
        item.full_clean()


def test_session_minimum_above_maximum_is_rejected():
    form = TreatmentFormFactory.build(session_minutes_min=90, session_minutes_max=40)
    assert errors_of(form)["session_minutes_min"] == [
        "The shortest session cannot be longer than the longest session."
    ]


def test_course_weeks_minimum_above_maximum_is_rejected():
    form = TreatmentFormFactory.build(course_weeks_min=5, course_weeks_max=2)
    assert "course_weeks_min" in errors_of(form)


def test_a_treatment_form_may_leave_its_setting_unstated_when_no_source_gives_it():
    form = TreatmentFormFactory(given_in_clinic=False, given_at_home=False)
    assert problems_of(form) == {}


def test_a_setting_must_say_whether_a_source_or_the_editor_gives_it():
    form = TreatmentFormFactory.build(given_in_clinic=True, setting_basis="")
    assert errors_of(form)["setting_basis"] == [
        "Say where the setting comes from: a cited source, or the editor's judgement."
    ]


def test_a_side_effect_frequency_without_a_basis_is_rejected():
    side_effect = SideEffectFactory.build(frequency="rare", frequency_basis="")
    assert "frequency_basis" in errors_of(side_effect)


def test_a_basis_without_its_value_is_rejected():
    side_effect = SideEffectFactory.build(severity="", severity_basis="editorial")
    assert errors_of(side_effect)["severity_basis"] == [
        "Leave this empty while the severity is empty."
    ]


def test_a_side_effect_may_leave_frequency_and_severity_empty():
    assert problems_of(SideEffectFactory(frequency="", severity="")) == {}


def test_an_evidence_strength_must_say_where_it_comes_from():
    condition = ConditionFactory.build(evidence_strength="strong", evidence_strength_basis="")
    assert "evidence_strength_basis" in errors_of(condition)
    assert problems_of(ConditionFactory(evidence_strength="")) == {}


def test_a_regulatory_status_needs_its_words_and_its_citation():
    form = TreatmentFormFactory.build(
        regulatory_status="approved", regulatory_status_basis="source"
    )
    assert errors_of(form)["regulatory_status"] == [
        "Give the regulatory status in plain words and the reference that states it."
    ]


def test_zero_minute_session_is_rejected():
    form = TreatmentFormFactory.build(session_minutes_min=0)
    assert "session_minutes_min" in errors_of(form)


def test_next_review_due_before_last_review_is_rejected():
    side_effect = SideEffectFactory.build(
        last_reviewed_at=timezone.now() - datetime.timedelta(days=10),
        next_review_due=timezone.localdate() - datetime.timedelta(days=20),
    )
    assert errors_of(side_effect)["next_review_due"] == [
        "The next review must be due after the last review."
    ]


def test_review_dated_in_the_future_is_rejected():
    side_effect = SideEffectFactory.build(
        last_reviewed_at=timezone.now() + datetime.timedelta(days=2), next_review_due=None
    )
    assert "last_reviewed_at" in errors_of(side_effect)


def test_review_date_without_reviewer_is_rejected():
    side_effect = SideEffectFactory.build(reviewed_by=None)
    assert "reviewed_by" in errors_of(side_effect)


def test_reviewer_without_review_date_is_rejected():
    side_effect = SideEffectFactory.build(last_reviewed_at=None, next_review_due=None)
    assert "last_reviewed_at" in errors_of(side_effect)


def test_rule_with_no_question_is_rejected():
    rule = EligibilityRuleFactory.build(question="")
    assert "question" in errors_of(rule)


def test_yes_no_rule_must_say_which_answer_triggers_it():
    rule = EligibilityRuleFactory.build(triggering_answer=None)
    assert errors_of(rule)["triggering_answer"] == ["Say whether 'Yes' or 'No' triggers this rule."]


def option(value, label, triggers, outcome) -> dict:
    return {
        "type": "option",
        "value": {"value": value, "label": label, "triggers_rule": triggers, "outcome": outcome},
    }


def number_range(minimum, maximum, triggers, outcome) -> dict:
    return {
        "type": "range",
        "value": {
            "minimum": minimum,
            "maximum": maximum,
            "triggers_rule": triggers,
            "outcome": outcome,
        },
    }


def number_rule(*ranges, **fields):
    return EligibilityRuleFactory.build(
        answer_type=AnswerType.NUMBER,
        kind=RuleKind.PRECAUTION,
        triggering_answer=None,
        outcome_if_yes="",
        outcome_if_no="",
        number_ranges=list(ranges),
        **fields,
    )


def choice_rule(*options, **fields):
    return EligibilityRuleFactory.build(
        answer_type=AnswerType.CHOICE,
        triggering_answer=None,
        outcome_if_yes="",
        outcome_if_no="",
        answer_options=list(options),
        **fields,
    )


def test_yes_no_rule_must_say_where_each_answer_leads():
    rule = EligibilityRuleFactory.build(outcome_if_yes="", outcome_if_no="")
    errors = errors_of(rule)
    assert errors["outcome_if_yes"] == ["Choose where the answer 'Yes' leads."]
    assert errors["outcome_if_no"] == ["Choose where the answer 'No' leads."]


def test_number_rule_needs_ranges_in_order_that_do_not_overlap():
    assert errors_of(number_rule())["number_ranges"] == [
        "Give at least one range of numbers and where it leads."
    ]
    reversed_bounds = number_rule(number_range(5, 2, True, ScreeningOutcome.CLINICIAN_REVIEW))
    assert errors_of(reversed_bounds)["number_ranges"] == [
        "Range 1: its lowest number is above its highest."
    ]
    overlapping = number_rule(
        number_range(0, 2, False, ScreeningOutcome.POSSIBLE_CANDIDATE),
        number_range(2, None, True, ScreeningOutcome.CLINICIAN_REVIEW),
    )
    assert errors_of(overlapping)["number_ranges"] == [
        "Ranges 1 and 2 overlap: a number must lead to one outcome only."
    ]


def test_choice_rule_needs_two_options_each_with_its_own_value_and_one_that_triggers():
    one_option = choice_rule(option("daily", "Daily", True, ScreeningOutcome.NOT_ELIGIBLE))
    assert "answer_options" in errors_of(one_option)
    none_trigger = choice_rule(
        option("never", "Never", False, ScreeningOutcome.POSSIBLE_CANDIDATE),
        option("daily", "Daily", False, ScreeningOutcome.POSSIBLE_CANDIDATE),
    )
    assert errors_of(none_trigger)["answer_options"] == [
        "Tick the answer or answers that trigger this rule."
    ]
    same_value = choice_rule(
        option("daily", "Never", False, ScreeningOutcome.POSSIBLE_CANDIDATE),
        option("daily", "Daily", True, ScreeningOutcome.NOT_ELIGIBLE),
    )
    assert errors_of(same_value)["answer_options"] == [
        "Each answer needs its own value: daily is used twice."
    ]


TWO_OPTIONS = [
    option("never", "Never", False, ScreeningOutcome.POSSIBLE_CANDIDATE),
    option("daily", "Daily", True, ScreeningOutcome.NOT_ELIGIBLE),
]
ONE_RANGE = [number_range(2, None, True, ScreeningOutcome.NOT_ELIGIBLE)]


@pytest.mark.parametrize(
    ("answer_type", "answers", "field", "message"),
    [
        (
            AnswerType.YES_NO,
            {"answer_options": TWO_OPTIONS},
            "answer_options",
            "A yes/no question has no answer options: remove them or change the answer type.",
        ),
        (
            AnswerType.YES_NO,
            {"number_unit": "mmHg"},
            "number_unit",
            "A yes/no question has no unit: clear the unit or change the answer type.",
        ),
        (
            AnswerType.YES_NO,
            {"number_ranges": ONE_RANGE},
            "number_ranges",
            "A yes/no question has no number ranges: remove them or change the answer type.",
        ),
        (
            AnswerType.NUMBER,
            {"number_ranges": ONE_RANGE, "outcome_if_yes": "", "outcome_if_no": ""},
            "triggering_answer",
            "A number question has no yes/no answers: clear this or change the answer type.",
        ),
        (
            AnswerType.CHOICE,
            {"answer_options": TWO_OPTIONS, "triggering_answer": None, "outcome_if_no": ""},
            "outcome_if_yes",
            "A choice question has no yes/no answers: clear this or change the answer type.",
        ),
    ],
    ids=[
        "yes/no with options",
        "yes/no with a unit",
        "yes/no with number ranges",
        "number with a yes/no trigger",
        "choice with a yes/no outcome",
    ],
)
def test_rule_with_answers_of_another_answer_type_is_rejected(answer_type, answers, field, message):
    rule = EligibilityRuleFactory.build(answer_type=answer_type, **answers)
    assert errors_of(rule) == {field: [message]}


def test_an_absolute_contraindication_whose_answer_leads_to_a_possible_candidate_is_refused():
    rule = EligibilityRuleFactory.build(
        kind=RuleKind.ABSOLUTE_CONTRAINDICATION,
        triggering_answer=True,
        outcome_if_yes=ScreeningOutcome.POSSIBLE_CANDIDATE,
    )
    assert errors_of(rule) == {
        "outcome_if_yes": [
            "The answer 'Yes' is what makes this an absolute contraindication, so it must lead "
            "to 'Not eligible' (or 'Urgent'): ketamine must not be given. It now leads to "
            "'Possible candidate: this answer does not stand in the way (a clinician still "
            "decides)'."
        ]
    }


@pytest.mark.parametrize(
    ("kind", "triggers", "outcome"),
    [
        (RuleKind.ABSOLUTE_CONTRAINDICATION, True, ScreeningOutcome.CLINICIAN_REVIEW),
        (RuleKind.RELATIVE_CONTRAINDICATION, True, ScreeningOutcome.POSSIBLE_CANDIDATE),
        (RuleKind.PRECAUTION, True, ScreeningOutcome.POSSIBLE_CANDIDATE),
        (RuleKind.INDICATION, False, ScreeningOutcome.POSSIBLE_CANDIDATE),
    ],
)
def test_an_answer_may_not_lead_further_than_the_kind_of_rule_allows(kind, triggers, outcome):
    rule = choice_rule(
        option("a", "Answer A", triggers, outcome),
        option("b", "Answer B", not triggers, ScreeningOutcome.CLINICIAN_REVIEW),
        kind=kind,
    )
    (message,) = errors_of(rule)["answer_options"]
    assert message.startswith("The answer 'Answer A'")


@pytest.mark.parametrize("field", ["unsure_outcome", "unanswered_outcome"])
def test_not_knowing_can_never_lead_to_a_possible_candidate(field):
    rule = EligibilityRuleFactory.build(**{field: ScreeningOutcome.POSSIBLE_CANDIDATE})
    (message,) = errors_of(rule)[field]
    assert "can never lead to 'Possible candidate': a clinician must decide" in message


def test_a_contraindication_or_an_urgent_question_must_be_asked_of_everyone():
    absolute = EligibilityRuleFactory.build(required=False)
    assert errors_of(absolute) == {
        "required": ["An absolute contraindication must be asked of everyone: tick 'Required'."]
    }
    urgent = EligibilityRuleFactory.build(
        kind=RuleKind.PRECAUTION, required=False, outcome_if_yes=ScreeningOutcome.URGENT
    )
    assert "required" in errors_of(urgent)


def test_a_safe_rule_saves_with_the_outcome_its_triggering_answer_leads_to():
    rule = choice_rule(*TWO_OPTIONS)
    rule.full_clean()  # no error
    assert rule.triggered_outcome() == ScreeningOutcome.NOT_ELIGIBLE


def test_slug_clash_in_the_same_language_is_a_validation_error():
    TreatmentFormFactory(slug="iv-infusion")
    clash = TreatmentFormFactory.build(slug="iv-infusion")
    assert "slug" in errors_of(clash)


def test_same_slug_is_allowed_in_another_language():
    english = TreatmentFormFactory(slug="iv-infusion")
    spanish = TreatmentFormFactory.build(
        slug="iv-infusion",
        locale=Locale.objects.get(language_code="es"),
        translation_key=english.translation_key,
        reviewed_by=MedicalReviewerFactory(),
    )
    spanish.full_clean()
