from typing import ClassVar

from rest_framework import serializers

from content_models import collections
from content_models.enums import AnswerType, RuleKind, ScreeningOutcome

from .. import filters, jsonld
from .base import ReviewedItemSerializer

# A precaution asks for care rather than ruling treatment out, so it is not a contraindication;
# schema.org has no closer type for it than MedicalEntity.
RULE_TYPES = {
    RuleKind.ABSOLUTE_CONTRAINDICATION: "MedicalContraindication",
    RuleKind.RELATIVE_CONTRAINDICATION: "MedicalContraindication",
    RuleKind.PRECAUTION: "MedicalEntity",
    RuleKind.INDICATION: "MedicalIndication",
}


def schema_type(rule) -> str:
    """The schema.org type of the rule's JSON-LD entity, which depends on its kind."""
    return RULE_TYPES[rule.kind]


class AnswerOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What a program sends for it, in every language.")
    label = serializers.CharField()
    triggers_rule = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=ScreeningOutcome.choices)


class NumberRangeSerializer(serializers.Serializer):
    minimum = serializers.FloatField(allow_null=True, help_text="From this number (included).")
    maximum = serializers.FloatField(allow_null=True, help_text="Up to this number (included).")
    triggers_rule = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=ScreeningOutcome.choices)


class QuestionSerializer(serializers.Serializer):
    """The screening question, structured so a program can evaluate an answer to it (the
    screener, `/api/v1/screening/`, does it for you)."""

    text = serializers.CharField()
    answer_type = serializers.ChoiceField(choices=AnswerType.choices)
    position = serializers.IntegerField(help_text="Its place in the questionnaire.")
    required = serializers.BooleanField()
    triggering_answer = serializers.BooleanField(
        allow_null=True, help_text="Yes/no questions: the answer that triggers the rule."
    )
    outcome_if_yes = serializers.ChoiceField(
        choices=ScreeningOutcome.choices, allow_null=True, help_text="Yes/no questions."
    )
    outcome_if_no = serializers.ChoiceField(
        choices=ScreeningOutcome.choices, allow_null=True, help_text="Yes/no questions."
    )
    number_ranges = NumberRangeSerializer(
        many=True, help_text="Number questions: where each range of answers leads."
    )
    unit = serializers.CharField(help_text="Number questions: what is counted.")
    options = AnswerOptionSerializer(
        many=True, help_text="Choice questions: every option, and where each leads."
    )
    unsure_outcome = serializers.ChoiceField(choices=ScreeningOutcome.choices)
    unanswered_outcome = serializers.ChoiceField(choices=ScreeningOutcome.choices)


class EligibilityRuleSerializer(ReviewedItemSerializer):
    collection = collections.by_name("eligibility-rules")
    ordering_fields: ClassVar = {
        "position": "position",
        "title": "title",
        "kind": "kind",
        "outcome": "outcome",
    }
    # The questionnaire's order, as editors set it.
    ordering = ("position", "title")
    list_filters: ClassVar = {
        "kind": filters.choices(),
        "outcome": filters.choices(),
        "answer_type": filters.choices(),
    }
    jsonld_page: ClassVar = {"mainEntity": jsonld.Entity(schema_type, description="rationale")}

    question = serializers.SerializerMethodField()

    class Meta:
        fields = (
            *ReviewedItemSerializer.base_fields,
            "kind",
            "rationale",
            "question",
            "outcome",
            "treatment_forms",
        )

    def get_question(self, rule) -> QuestionSerializer:
        is_yes_no = rule.answer_type == AnswerType.YES_NO
        return {
            "text": rule.question,
            "answer_type": rule.answer_type,
            "position": rule.position,
            "required": rule.required,
            "triggering_answer": rule.triggering_answer if is_yes_no else None,
            "outcome_if_yes": (rule.outcome_if_yes or None) if is_yes_no else None,
            "outcome_if_no": (rule.outcome_if_no or None) if is_yes_no else None,
            "number_ranges": [_number_range(block.value) for block in rule.number_ranges]
            if rule.answer_type == AnswerType.NUMBER
            else [],
            "unit": rule.number_unit,
            "options": [dict(block.value) for block in rule.answer_options]
            if rule.answer_type == AnswerType.CHOICE
            else [],
            "unsure_outcome": rule.unsure_outcome,
            "unanswered_outcome": rule.unanswered_outcome,
        }


def _number_range(value) -> dict:
    """A range with its bounds as numbers of one type, however they were stored."""
    return {
        **value,
        "minimum": None if value["minimum"] is None else float(value["minimum"]),
        "maximum": None if value["maximum"] is None else float(value["maximum"]),
    }
