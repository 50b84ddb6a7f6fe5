"""The model rules that keep nonsense out of clinical content, with messages a clinician reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Locale

from content_models.enums import AnswerType, RuleKind, RuleOutcome
from tests.factories import (
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


def test_treatment_form_must_say_where_it_is_given():
    form = TreatmentFormFactory.build(given_in_clinic=False, given_at_home=False)
    assert "given_in_clinic" in errors_of(form)


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


def test_number_rule_needs_a_bound_and_bounds_in_order():
    unbounded = EligibilityRuleFactory.build(answer_type=AnswerType.NUMBER, triggering_answer=None)
    assert "number_trigger_min" in errors_of(unbounded)
    reversed_bounds = EligibilityRuleFactory.build(
        answer_type=AnswerType.NUMBER, number_trigger_min=5, number_trigger_max=2
    )
    assert errors_of(reversed_bounds)["number_trigger_min"] == [
        "The lowest triggering value is above the highest."
    ]


def test_choice_rule_needs_two_options_and_one_that_triggers():
    one_option = EligibilityRuleFactory.build(
        answer_type=AnswerType.CHOICE,
        answer_options=[{"type": "option", "value": {"label": "Daily", "triggers_rule": True}}],
    )
    assert "answer_options" in errors_of(one_option)
    none_trigger = EligibilityRuleFactory.build(
        answer_type=AnswerType.CHOICE,
        answer_options=[
            {"type": "option", "value": {"label": "Never", "triggers_rule": False}},
            {"type": "option", "value": {"label": "Daily", "triggers_rule": False}},
        ],
    )
    assert errors_of(none_trigger)["answer_options"] == [
        "Tick the answer or answers that trigger this rule."
    ]


TWO_OPTIONS = [
    {"type": "option", "value": {"label": "Never", "triggers_rule": False}},
    {"type": "option", "value": {"label": "Daily", "triggers_rule": True}},
]


def test_rule_with_number_bounds_on_a_yes_no_question_is_rejected():
    rule = EligibilityRuleFactory.build(number_trigger_min=1, number_trigger_max=3)
    message = (
        "A yes/no question has no number range: clear the trigger range or change the answer type."
    )
    errors = errors_of(rule)
    assert errors["number_trigger_min"] == [message]
    assert errors["number_trigger_max"] == [message]


@pytest.mark.parametrize(
    ("answer_type", "trigger", "field", "message"),
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
            AnswerType.NUMBER,
            {"number_trigger_min": 2, "triggering_answer": True},
            "triggering_answer",
            "A number question has no yes/no trigger: clear this answer or change the answer type.",
        ),
        (
            AnswerType.NUMBER,
            {"number_trigger_min": 2, "triggering_answer": None, "answer_options": TWO_OPTIONS},
            "answer_options",
            "A number question has no answer options: remove them or change the answer type.",
        ),
        (
            AnswerType.CHOICE,
            {"answer_options": TWO_OPTIONS, "triggering_answer": False},
            "triggering_answer",
            "A choice question has no yes/no trigger: clear this answer or change the answer type.",
        ),
        (
            AnswerType.CHOICE,
            {"answer_options": TWO_OPTIONS, "triggering_answer": None, "number_trigger_max": 5},
            "number_trigger_max",
            "A choice question has no number range: clear the trigger range or change the "
            "answer type.",
        ),
    ],
    ids=[
        "yes/no with options",
        "yes/no with a unit",
        "number with a yes/no trigger",
        "number with options",
        "choice with a yes/no trigger",
        "choice with a number range",
    ],
)
def test_rule_with_a_trigger_of_another_answer_type_is_rejected(
    answer_type, trigger, field, message
):
    rule = EligibilityRuleFactory.build(answer_type=answer_type, **trigger)
    assert errors_of(rule) == {field: [message]}


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        (RuleKind.INDICATION, RuleOutcome.NOT_ELIGIBLE),
        (RuleKind.PRECAUTION, RuleOutcome.SUPPORTS_ELIGIBILITY),
        (RuleKind.ABSOLUTE_CONTRAINDICATION, RuleOutcome.CLINICIAN_REVIEW),
    ],
)
def test_outcome_must_fit_the_kind_of_rule(kind, outcome):
    rule = EligibilityRuleFactory.build(kind=kind, outcome=outcome)
    assert "outcome" in errors_of(rule)


def test_rules_evaluate_a_patients_answer():
    pregnancy = EligibilityRuleFactory.build(triggering_answer=True)
    assert pregnancy.is_triggered_by(True)
    assert not pregnancy.is_triggered_by(False)

    tried_antidepressants = EligibilityRuleFactory.build(
        kind=RuleKind.INDICATION,
        outcome=RuleOutcome.SUPPORTS_ELIGIBILITY,
        answer_type=AnswerType.NUMBER,
        triggering_answer=None,
        number_trigger_min=2,
    )
    assert tried_antidepressants.is_triggered_by(2)
    assert tried_antidepressants.is_triggered_by("3")
    assert not tried_antidepressants.is_triggered_by(1)

    blood_pressure = EligibilityRuleFactory.build(
        answer_type=AnswerType.CHOICE,
        triggering_answer=None,
        answer_options=[
            {"type": "option", "value": {"label": "Normal", "triggers_rule": False}},
            {"type": "option", "value": {"label": "High, not treated", "triggers_rule": True}},
        ],
    )
    assert blood_pressure.is_triggered_by("High, not treated")
    assert not blood_pressure.is_triggered_by("Normal")


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
