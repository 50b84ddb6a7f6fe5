"""The eligibility screener: a person's answers to the published screening questions, turned
into an outcome that never says more than the rules allow.

Pure functions over plain values (no database, no request): the API builds the questions from
the live eligibility rules (`questions_from_rules`), checks the answers it was sent
(`parse_answers`) and evaluates them (`evaluate`). Nothing here stores or logs an answer.

The safety rules, which the property tests check over the demo rules:
- every answer leads to an outcome, and the overall outcome is the most restrictive of them
  (`ScreeningOutcome` is ordered most restrictive first): `urgent` beats everything, and an
  indication never outweighs a contraindication;
- "unsure", a number outside every range the editor gave, and a required question left out
  lead to the question's own outcome for them, and never to better than `clinician_review`;
- a triggered absolute contraindication never leads to better than `not_eligible`;
- with nothing answered at all the outcome is `clinician_review`;
- the order of the answers and of the questions changes nothing but the order of `results`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .enums import OUTCOME_ORDER, AnswerType, RuleKind, ScreeningOutcome

UNSURE = "unsure"
YES, NO = "yes", "no"

# How an answer was given, in each result.
ANSWERED, ANSWERED_UNSURE, NOT_ANSWERED = "answered", "unsure", "not_answered"
# No answer, unsure or not, may ever lead to better than this.
AT_BEST_WITHOUT_AN_ANSWER = ScreeningOutcome.CLINICIAN_REVIEW


def rank(outcome: str) -> int:
    """How restrictive an outcome is: 0 is the most restrictive (`urgent`)."""
    return OUTCOME_ORDER.index(outcome)


def most_restrictive(outcomes: Iterable[str]) -> str | None:
    """The most restrictive of the outcomes; None when there are none."""
    return min(outcomes, key=rank, default=None)


def at_best(outcome: str, limit: str) -> str:
    """`outcome`, or `limit` where `outcome` would be better (less restrictive) than it."""
    return outcome if rank(outcome) <= rank(limit) else limit


@dataclass(frozen=True)
class Answer:
    """One answer a question offers: a yes/no answer, a choice option or a number range."""

    value: str  # "yes"/"no", the option's value, or "" for a number range
    label: str
    triggers_rule: bool
    outcome: str
    minimum: float | None = None  # number ranges only, both bounds inclusive
    maximum: float | None = None

    def contains(self, number: Decimal) -> bool:
        return (self.minimum is None or number >= Decimal(str(self.minimum))) and (
            self.maximum is None or number <= Decimal(str(self.maximum))
        )


@dataclass(frozen=True)
class Question:
    """A screening question as the screener needs it, built from an eligibility rule."""

    id: str
    title: str
    kind: str
    text: str
    answer_type: str
    required: bool
    answers: tuple[Answer, ...]
    unsure_outcome: str
    unanswered_outcome: str
    reason: str = ""
    unit: str = ""
    references: tuple = field(default=(), compare=False)

    def answer_for(self, value) -> Answer | None:
        """The answer a (checked) value picks; None for a number outside every range."""
        if self.answer_type == AnswerType.NUMBER:
            return next((answer for answer in self.answers if answer.contains(value)), None)
        return next(answer for answer in self.answers if answer.value == value)


def rule_answers(rule) -> tuple[Answer, ...]:
    """The answers an eligibility rule (a model instance, or anything shaped like one) offers,
    with where each leads. Answers whose outcome is not chosen yet are left out."""
    if rule.answer_type == AnswerType.YES_NO:
        answers = [
            Answer(YES, "Yes", rule.triggering_answer is True, rule.outcome_if_yes),
            Answer(NO, "No", rule.triggering_answer is False, rule.outcome_if_no),
        ]
    elif rule.answer_type == AnswerType.NUMBER:
        answers = [
            Answer(
                "",
                number_range_label(
                    block.value["minimum"], block.value["maximum"], rule.number_unit
                ),
                bool(block.value["triggers_rule"]),
                block.value["outcome"],
                minimum=_float_or_none(block.value["minimum"]),
                maximum=_float_or_none(block.value["maximum"]),
            )
            for block in rule.number_ranges
        ]
    else:
        answers = [
            Answer(
                block.value["value"],
                block.value["label"],
                bool(block.value["triggers_rule"]),
                block.value["outcome"],
            )
            for block in rule.answer_options
        ]
    return tuple(answer for answer in answers if answer.outcome)


def _float_or_none(value) -> float | None:
    return None if value is None else float(value)


def number_range_label(minimum, maximum, unit: str = "") -> str:
    """A number range in words, for the admin's messages: '2 or more medicines'."""
    unit = f" {unit}" if unit else ""

    def number(value) -> str:
        return f"{value:g}"

    if minimum is not None and maximum is not None:
        if minimum == maximum:
            return f"{number(minimum)}{unit}"
        return f"{number(minimum)} to {number(maximum)}{unit}"
    if minimum is not None:
        return f"{number(minimum)} or more{unit}"
    if maximum is not None:
        return f"{number(maximum)} or fewer{unit}"
    return f"any number{unit}"


def question_from_rule(rule, references: tuple = ()) -> Question:
    """The screener's question for a live eligibility rule."""
    return Question(
        id=rule.slug,
        title=rule.title,
        kind=rule.kind,
        text=rule.question,
        answer_type=rule.answer_type,
        required=rule.required,
        answers=rule_answers(rule),
        unsure_outcome=rule.unsure_outcome,
        unanswered_outcome=rule.unanswered_outcome,
        reason=rule.rationale,
        unit=rule.number_unit,
        references=references,
    )


class InvalidAnswers(Exception):
    """Answers the screener cannot take: `errors` names each one at fault (`answers.<id>`)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("Invalid answers.")
        self.errors = errors


def parse_answers(questions: Iterable[Question], raw) -> dict[str, object]:
    """The answers sent (a mapping of question id to "yes", "no", "unsure", a number or an
    option's value), checked against the questions: question id -> "unsure", "yes"/"no", an
    option's value or a Decimal. A null answer counts as not answered.

    Raises InvalidAnswers naming every unknown question, value of the wrong type and unknown
    option. The messages name the question and what it takes, never the value sent: answers
    are health data.
    """
    if not isinstance(raw, Mapping):
        raise InvalidAnswers({"answers": ["Must be an object of question id to answer."]})
    by_id = {question.id: question for question in questions}
    errors: dict[str, list[str]] = {}
    parsed: dict[str, object] = {}
    for question_id, value in raw.items():
        question = by_id.get(question_id)
        if question is None:
            errors[f"answers.{question_id}"] = [
                "No published screening question has this id in this locale."
            ]
            continue
        if value is None:
            continue
        try:
            parsed[question_id] = _parse_answer(question, value)
        except ValueError as error:
            errors[f"answers.{question_id}"] = [str(error)]
    if errors:
        raise InvalidAnswers(errors)
    return parsed


def _parse_answer(question: Question, value):
    if value == UNSURE:
        return UNSURE
    if question.answer_type == AnswerType.NUMBER:
        # JSON true/false are ints to Python, and never a count of anything.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError('A number question takes a number, or "unsure".')
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError('A number question takes a number, or "unsure".') from None
        if not number.is_finite():
            raise ValueError('A number question takes a finite number, or "unsure".')
        return number
    values = [answer.value for answer in question.answers]
    if question.answer_type == AnswerType.YES_NO:
        if value not in (YES, NO):
            raise ValueError('A yes/no question takes "yes", "no" or "unsure".')
        return value
    if not isinstance(value, str) or value not in values:
        raise ValueError(
            f'Not one of this question\'s options. It takes: {", ".join(values)}, or "unsure".'
        )
    return value


@dataclass(frozen=True)
class Result:
    """Where one question's answer leads."""

    question: Question
    answered: str  # ANSWERED, ANSWERED_UNSURE or NOT_ANSWERED
    triggered: bool
    outcome: str


@dataclass(frozen=True)
class Evaluation:
    outcome: str
    results: tuple[Result, ...]
    unanswered: tuple[str, ...]  # ids of required questions left out


def evaluate(questions: Iterable[Question], answers: Mapping[str, object]) -> Evaluation:
    """The outcome of checked answers (`parse_answers`) to the questions.

    A question left out counts only if it is required: it is then listed in `unanswered`
    and leads to its outcome for "not answered" (at best `clinician_review`).
    """
    results = []
    for question in questions:
        if question.id in answers:
            results.append(_result(question, answers[question.id]))
        elif question.required:
            outcome = at_best(question.unanswered_outcome, AT_BEST_WITHOUT_AN_ANSWER)
            results.append(Result(question, NOT_ANSWERED, False, outcome))
    outcome = most_restrictive(result.outcome for result in results)
    return Evaluation(
        # Nothing asked or answered says nothing about a person: a clinician decides.
        outcome=outcome or ScreeningOutcome.CLINICIAN_REVIEW,
        results=tuple(results),
        unanswered=tuple(
            result.question.id for result in results if result.answered == NOT_ANSWERED
        ),
    )


def _result(question: Question, value) -> Result:
    if value == UNSURE:
        outcome = at_best(question.unsure_outcome, AT_BEST_WITHOUT_AN_ANSWER)
        return Result(question, ANSWERED_UNSURE, False, outcome)
    answer = question.answer_for(value)
    if answer is None:
        # A number no range covers: the editor did not say, so it is as good as unsure.
        outcome = at_best(question.unsure_outcome, AT_BEST_WITHOUT_AN_ANSWER)
        return Result(question, ANSWERED, False, outcome)
    outcome = answer.outcome
    if answer.triggers_rule and question.kind == RuleKind.ABSOLUTE_CONTRAINDICATION:
        # The admin refuses such a rule; this holds even for one saved before that check.
        outcome = at_best(outcome, ScreeningOutcome.NOT_ELIGIBLE)
    return Result(question, ANSWERED, answer.triggers_rule, outcome)
