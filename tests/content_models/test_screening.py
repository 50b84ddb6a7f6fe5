"""The screener's evaluation (`content_models/screening.py`), over the demo content's rules:
its safety properties hold for any set of answers (hypothesis), and the answers it refuses are
named without repeating them.

The rules are built from the demo-content file in memory, as the loader builds them, so the
properties are checked on the questionnaire the API serves without a database.
"""

import random
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from content_models.demo_content.loader import DEMO_CONTENT_FILE
from content_models.enums import AnswerType, RuleKind, ScreeningOutcome
from content_models.models import EligibilityRule
from content_models.screening import (
    NOT_ANSWERED,
    UNSURE,
    InvalidAnswers,
    evaluate,
    most_restrictive,
    parse_answers,
    question_from_rule,
    rank,
)

URGENT = ScreeningOutcome.URGENT
NOT_ELIGIBLE = ScreeningOutcome.NOT_ELIGIBLE
CLINICIAN_REVIEW = ScreeningOutcome.CLINICIAN_REVIEW
POSSIBLE_CANDIDATE = ScreeningOutcome.POSSIBLE_CANDIDATE
RELATIONS = {"treatment_forms", "references", "reviewed_by", "last_reviewed_at", "next_review_due"}


def demo_rule(entry: dict) -> EligibilityRule:
    fields = {key: value for key, value in entry.items() if key not in RELATIONS}
    for key in ("answer_options", "number_ranges"):
        block_type = "option" if key == "answer_options" else "range"
        fields[key] = [{"type": block_type, "value": item} for item in fields.get(key, [])]
    return EligibilityRule(**fields)


DEMO_RULES = [
    demo_rule(entry)
    for entry in yaml.safe_load(DEMO_CONTENT_FILE.read_text(encoding="utf-8"))["eligibility_rules"]
]
QUESTIONS = [question_from_rule(rule) for rule in DEMO_RULES]
BY_ID = {question.id: question for question in QUESTIONS}


def possible_answers(question):
    """A strategy of what a person may send for a question: nothing, null, "unsure", or an
    answer the question takes (any number, for a number question)."""
    left_out = st.just(None)
    if question.answer_type == AnswerType.NUMBER:
        given_answer = st.one_of(
            st.integers(min_value=-3, max_value=40),
            st.floats(min_value=-10, max_value=100, allow_nan=False),
        )
    else:
        given_answer = st.sampled_from([answer.value for answer in question.answers])
    return st.one_of(left_out, st.just("null"), st.just(UNSURE), given_answer)


@st.composite
def answer_sets(draw):
    """Raw answers, as a front end sends them; questions left out are absent."""
    raw = {}
    for question in QUESTIONS:
        value = draw(possible_answers(question))
        if value is None:
            continue
        raw[question.id] = None if value == "null" else value
    return raw


def evaluated(raw, questions=QUESTIONS):
    return evaluate(questions, parse_answers(questions, raw))


def triggered_absolute_contraindication(evaluation) -> bool:
    return any(
        result.triggered and result.question.kind == RuleKind.ABSOLUTE_CONTRAINDICATION
        for result in evaluation.results
    )


def test_the_demo_rules_are_valid_rules():
    # The property tests below are about these rules: they must be rules the admin accepts.
    for rule in DEMO_RULES:
        assert not list(rule.outcome_problems()), rule.slug
        assert not list(rule.question_problems()), rule.slug


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_a_triggered_absolute_contraindication_is_never_better_than_not_eligible(raw):
    evaluation = evaluated(raw)
    if triggered_absolute_contraindication(evaluation):
        assert rank(evaluation.outcome) <= rank(NOT_ELIGIBLE)


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_a_missing_required_answer_or_unsure_is_never_a_possible_candidate(raw):
    evaluation = evaluated(raw)
    missing = [q.id for q in QUESTIONS if q.required and raw.get(q.id) is None]
    unsure = [question_id for question_id, value in raw.items() if value == UNSURE]
    assert set(evaluation.unanswered) == set(missing)
    if missing or unsure:
        assert evaluation.outcome != POSSIBLE_CANDIDATE


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_urgent_always_wins(raw):
    evaluation = evaluated(raw)
    any_urgent = any(result.outcome == URGENT for result in evaluation.results)
    assert (evaluation.outcome == URGENT) == any_urgent
    assert evaluation.outcome == most_restrictive(r.outcome for r in evaluation.results)


@settings(max_examples=200, deadline=None)
@given(answer_sets(), st.randoms(use_true_random=False))
def test_the_order_of_answers_and_of_rules_changes_nothing(raw, rnd: random.Random):
    evaluation = evaluated(raw)
    shuffled_answers = list(raw.items())
    rnd.shuffle(shuffled_answers)
    shuffled_questions = list(QUESTIONS)
    rnd.shuffle(shuffled_questions)

    again = evaluated(dict(shuffled_answers), shuffled_questions)

    assert again.outcome == evaluation.outcome
    assert set(again.unanswered) == set(evaluation.unanswered)
    assert {(r.question.id, r.outcome, r.triggered) for r in again.results} == {
        (r.question.id, r.outcome, r.triggered) for r in evaluation.results
    }


def everything_fine() -> dict:
    """Answers that leave nothing in the way, for every demo question."""
    raw = {}
    for question in QUESTIONS:
        if question.answer_type == AnswerType.NUMBER:
            raw[question.id] = next(
                answer.minimum
                for answer in question.answers
                if answer.outcome == POSSIBLE_CANDIDATE
            )
        else:
            raw[question.id] = next(
                a.value for a in question.answers if a.outcome == POSSIBLE_CANDIDATE
            )
    return raw


def test_answers_that_leave_nothing_in_the_way_are_a_possible_candidate():
    assert evaluated(everything_fine()).outcome == POSSIBLE_CANDIDATE


def test_suicidal_thoughts_are_urgent_whatever_else_is_answered():
    raw = {**everything_fine(), "suicidal-thoughts": "yes", "pregnancy": "yes"}
    evaluation = evaluated(raw)
    assert evaluation.outcome == URGENT


def test_an_indication_never_outweighs_a_contraindication():
    raw = {**everything_fine(), "uncontrolled-high-blood-pressure": "untreated-or-uncontrolled"}
    assert evaluated(raw).outcome == NOT_ELIGIBLE


def test_a_required_question_left_out_needs_a_clinician():
    raw = everything_fine()
    del raw["pregnancy"]
    evaluation = evaluated(raw)
    assert evaluation.outcome == CLINICIAN_REVIEW
    assert evaluation.unanswered == ("pregnancy",)
    (result,) = [r for r in evaluation.results if r.question.id == "pregnancy"]
    assert result.answered == NOT_ANSWERED


def test_nothing_asked_is_never_a_possible_candidate():
    assert evaluate([], {}).outcome == CLINICIAN_REVIEW


def test_a_number_outside_every_range_needs_a_clinician():
    raw = {**everything_fine(), "current-medicines": 0.5}
    assert evaluated(raw).outcome == CLINICIAN_REVIEW


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("not-a-question", "yes", "No published screening question has this id in this locale."),
        ("pregnancy", "perhaps", 'A yes/no question takes "yes", "no" or "unsure".'),
        ("pregnancy", True, 'A yes/no question takes "yes", "no" or "unsure".'),
        ("current-medicines", "three", 'A number question takes a number, or "unsure".'),
        ("current-medicines", True, 'A number question takes a number, or "unsure".'),
        (
            "untreated-hyperthyroidism",
            "sometimes",
            'Not one of this question\'s options. It takes: no, treated, untreated, or "unsure".',
        ),
    ],
)
def test_an_answer_the_screener_cannot_take_is_named_without_repeating_it(
    question_id, value, message
):
    with pytest.raises(InvalidAnswers) as refused:
        parse_answers(QUESTIONS, {question_id: value})
    assert refused.value.errors == {f"answers.{question_id}": [message]}


def test_numbers_are_read_exactly():
    answers = parse_answers(QUESTIONS, {"current-medicines": 1})
    assert answers == {"current-medicines": Decimal(1)}


OUTCOMES = list(ScreeningOutcome)


@st.composite
def rules_the_admin_accepts(draw):
    """Any choice rule whose outcomes the admin's validation lets through."""
    count = draw(st.integers(min_value=2, max_value=4))
    options = [
        {
            "type": "option",
            "value": {
                "value": f"answer-{position}",
                "label": f"Answer {position}",
                "triggers_rule": draw(st.booleans()),
                "outcome": draw(st.sampled_from(OUTCOMES)),
            },
        }
        for position in range(count)
    ]
    rule = EligibilityRule(
        slug="drawn",
        title="Drawn",
        kind=draw(st.sampled_from(list(RuleKind))),
        question="?",
        answer_type=AnswerType.CHOICE,
        required=True,
        answer_options=options,
        unsure_outcome=draw(st.sampled_from(OUTCOMES)),
        unanswered_outcome=draw(st.sampled_from(OUTCOMES)),
    )
    if list(rule.outcome_problems()) or list(rule.question_problems()):
        return draw(st.nothing())
    return rule


@settings(max_examples=200, deadline=None)
@given(rules_the_admin_accepts(), st.data())
def test_no_rule_the_admin_accepts_says_more_than_its_kind_allows(rule, data):
    question = question_from_rule(rule)
    value = data.draw(st.sampled_from([a.value for a in question.answers] + [UNSURE, None]))
    evaluation = evaluated({} if value is None else {"drawn": value}, [question])
    (result,) = evaluation.results
    if result.triggered and rule.kind == RuleKind.ABSOLUTE_CONTRAINDICATION:
        assert rank(evaluation.outcome) <= rank(NOT_ELIGIBLE)
    if result.triggered and rule.kind != RuleKind.INDICATION:
        assert evaluation.outcome != POSSIBLE_CANDIDATE
    if value in (UNSURE, None):
        assert evaluation.outcome != POSSIBLE_CANDIDATE
