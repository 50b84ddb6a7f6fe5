"""The screener's documents: the questionnaire (`GET /api/v1/screening/`) and an evaluation
(`POST /api/v1/screening/evaluate/`). The serializers describe the shapes for the OpenAPI
document; the functions build them from `content_models.screening`'s values."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from content_models import collections
from content_models.enums import AnswerType, RuleKind, ScreeningOutcome
from content_models.screening import (
    ANSWERED,
    ANSWERED_UNSURE,
    AT_BEST_WITHOUT_AN_ANSWER,
    NO,
    NOT_ANSWERED,
    UNSURE,
    YES,
    Evaluation,
    Question,
    at_best,
)

OUTCOME = serializers.ChoiceField(choices=ScreeningOutcome.choices)


class ScreenerOutcomeSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=ScreeningOutcome.choices)
    label = serializers.CharField(help_text="What the outcome means, in English, for developers.")


class ScreenerOptionSerializer(serializers.Serializer):
    value = serializers.CharField(
        help_text="What to send as the answer: `yes`/`no`, or the option's value, the same "
        "in every language."
    )
    label = serializers.CharField(help_text="What the patient reads, in the asked-for language.")
    outcome = serializers.ChoiceField(
        choices=ScreeningOutcome.choices, help_text="Where this answer leads."
    )


class ScreenerNumberRangeSerializer(serializers.Serializer):
    minimum = serializers.FloatField(allow_null=True, help_text="Lowest number (included).")
    maximum = serializers.FloatField(allow_null=True, help_text="Highest number (included).")
    outcome = serializers.ChoiceField(
        choices=ScreeningOutcome.choices, help_text="Where a number in this range leads."
    )


class ScreenerUnsureSerializer(ScreenerOptionSerializer):
    value = serializers.ChoiceField(choices=[UNSURE], help_text="Always `unsure`.")


class ScreenerReferenceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The reference in the API.")


class ScreenerQuestionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The rule's slug: the key of its answer.")
    title = serializers.CharField()
    question = serializers.CharField(help_text="The question as the patient reads it.")
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    answer_type = serializers.ChoiceField(choices=AnswerType.choices)
    required = serializers.BooleanField(
        help_text="Left out, it leads to `not_answered_outcome` and is listed in `unanswered`."
    )
    unit = serializers.CharField(help_text="Number questions: what is counted; else empty.")
    options = ScreenerOptionSerializer(
        many=True, help_text="Yes/no and choice questions: the answers to offer, in order."
    )
    number_ranges = ScreenerNumberRangeSerializer(
        many=True,
        help_text="Number questions: where each range leads. A number in none leads to the "
        "outcome of `unsure`.",
    )
    unsure = ScreenerUnsureSerializer(help_text="The answer for a patient who does not know.")
    not_answered_outcome = serializers.ChoiceField(
        choices=ScreeningOutcome.choices,
        help_text="Where a required question left out leads.",
    )
    url = serializers.URLField(help_text="The eligibility rule in the API.")


class ScreenerCrisisGuidanceSerializer(serializers.Serializer):
    locale = serializers.CharField(
        help_text="Its language: the default language's guidance stands in for a language "
        "that has none yet."
    )
    heading = serializers.CharField()
    text = serializers.CharField(help_text="Paragraphs separated by a blank line.")
    paragraphs = serializers.ListField(child=serializers.CharField())


class ScreenerQuestionnaireSerializer(serializers.Serializer):
    locale = serializers.CharField()
    outcomes = ScreenerOutcomeSerializer(
        many=True,
        help_text="Every outcome, most restrictive first: the overall outcome is "
        "the first of these that any answer leads to.",
    )
    questions = ScreenerQuestionSerializer(many=True, help_text="In the order to ask them.")
    disclaimer = serializers.CharField(help_text="Show it with the questionnaire and the result.")
    crisis_guidance = ScreenerCrisisGuidanceSerializer(
        help_text="Shown with an `urgent` result; offer it with the questionnaire too."
    )
    evaluate = serializers.URLField(help_text="Where to POST the answers.")


class ScreenerAnswersSerializer(serializers.Serializer):
    """The request to evaluate (documentation only: `content_models.screening.parse_answers`
    checks it and names each problem)."""

    locale = serializers.CharField(required=False, help_text="Content language (default `en`).")
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text='Question id -> `"yes"`, `"no"`, `"unsure"`, a number, or an option\'s '
        "`value`. Leave a question out (or send null) if it was not answered.",
    )


class ScreenerResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    answered = serializers.ChoiceField(
        choices=[ANSWERED, ANSWERED_UNSURE, NOT_ANSWERED],
        help_text="How the question was answered.",
    )
    triggered = serializers.BooleanField(help_text="The answer is what the rule is about.")
    outcome = OUTCOME
    reason = serializers.CharField(help_text="Why the rule matters, in plain words.")
    references = ScreenerReferenceSerializer(many=True)


class ScreenerEvaluationSerializer(serializers.Serializer):
    locale = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=ScreeningOutcome.choices,
        help_text="The most restrictive outcome of all the answers. `possible_candidate` "
        "means only that nothing in the answers stands in the way: a clinician decides.",
    )
    results = ScreenerResultSerializer(
        many=True, help_text="One per question answered or required."
    )
    unanswered = serializers.ListField(
        child=serializers.CharField(), help_text="Required questions left out."
    )
    crisis_guidance = ScreenerCrisisGuidanceSerializer(
        allow_null=True, help_text="When the outcome is `urgent`: show it first."
    )
    disclaimer = serializers.CharField()


def questionnaire(questions: list[Question], guidance, locale: str, request) -> dict:
    return {
        "locale": locale,
        "outcomes": [{"value": value, "label": label} for value, label in ScreeningOutcome.choices],
        "questions": [_question(question, guidance, locale, request) for question in questions],
        "disclaimer": guidance.disclaimer,
        "crisis_guidance": crisis_guidance(guidance),
        "evaluate": reverse("api:v1:screening-evaluate", request=request),
    }


def _question(question: Question, guidance, locale: str, request) -> dict:
    labels = {YES: guidance.yes_label, NO: guidance.no_label}
    is_number = question.answer_type == AnswerType.NUMBER
    return {
        "id": question.id,
        "title": question.title,
        "question": question.text,
        "kind": question.kind,
        "answer_type": question.answer_type,
        "required": question.required,
        "unit": question.unit if is_number else "",
        "options": []
        if is_number
        else [
            {
                "value": answer.value,
                "label": labels.get(answer.value, answer.label)
                if question.answer_type == AnswerType.YES_NO
                else answer.label,
                "outcome": answer.outcome,
            }
            for answer in question.answers
        ],
        "number_ranges": [
            {"minimum": answer.minimum, "maximum": answer.maximum, "outcome": answer.outcome}
            for answer in question.answers
        ]
        if is_number
        else [],
        # What evaluation applies: never better than a clinician's review.
        "unsure": {
            "value": UNSURE,
            "label": guidance.unsure_label,
            "outcome": at_best(question.unsure_outcome, AT_BEST_WITHOUT_AN_ANSWER),
        },
        "not_answered_outcome": at_best(question.unanswered_outcome, AT_BEST_WITHOUT_AN_ANSWER),
        "url": _api_url("eligibility-rules", question.id, locale, request),
    }


def evaluation(result: Evaluation, guidance, locale: str, request) -> dict:
    return {
        "locale": locale,
        "outcome": result.outcome,
        "results": [
            {
                "id": item.question.id,
                "title": item.question.title,
                "kind": item.question.kind,
                "answered": item.answered,
                "triggered": item.triggered,
                "outcome": item.outcome,
                "reason": item.question.reason,
                "references": [
                    {
                        "slug": reference.slug,
                        "title": reference.title,
                        "url": _api_url("references", reference.slug, locale, request),
                    }
                    for reference in item.question.references
                ],
            }
            for item in result.results
        ],
        "unanswered": list(result.unanswered),
        "crisis_guidance": crisis_guidance(guidance)
        if result.outcome == ScreeningOutcome.URGENT
        else None,
        "disclaimer": guidance.disclaimer,
    }


def crisis_guidance(guidance) -> dict:
    text = guidance.crisis_guidance.replace("\r\n", "\n").strip()
    return {
        "locale": guidance.locale.language_code,
        "heading": guidance.crisis_heading,
        "text": text,
        "paragraphs": [paragraph.strip() for paragraph in text.split("\n\n") if paragraph.strip()],
    }


def _api_url(collection: str, slug: str, locale: str, request) -> str:
    return request.build_absolute_uri(collections.by_name(collection).api_path(slug, locale))
