from rest_framework import serializers

from content_models import collections
from content_models.enums import AnswerType

from .base import ReviewedItemSerializer


class AnswerOptionSerializer(serializers.Serializer):
    label = serializers.CharField()
    triggers_rule = serializers.BooleanField()


class NumberTriggerSerializer(serializers.Serializer):
    minimum = serializers.FloatField(allow_null=True, help_text="Triggers from this value.")
    maximum = serializers.FloatField(allow_null=True, help_text="Triggers up to this value.")
    unit = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    """The screening question, structured so a program can evaluate an answer to it."""

    text = serializers.CharField()
    answer_type = serializers.ChoiceField(choices=AnswerType.choices)
    triggering_answer = serializers.BooleanField(
        allow_null=True, help_text="Yes/no questions: the answer that triggers the rule."
    )
    number_trigger = NumberTriggerSerializer(
        allow_null=True, help_text="Number questions: the range of answers that triggers it."
    )
    options = AnswerOptionSerializer(
        many=True, help_text="Choice questions: every option, and which trigger the rule."
    )


class EligibilityRuleSerializer(ReviewedItemSerializer):
    collection = collections.by_name("eligibility-rules")

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
        is_number = rule.answer_type == AnswerType.NUMBER
        return {
            "text": rule.question,
            "answer_type": rule.answer_type,
            "triggering_answer": rule.triggering_answer
            if rule.answer_type == AnswerType.YES_NO
            else None,
            "number_trigger": {
                "minimum": _number(rule.number_trigger_min),
                "maximum": _number(rule.number_trigger_max),
                "unit": rule.number_unit,
            }
            if is_number
            else None,
            "options": [option.value for option in rule.answer_options]
            if rule.answer_type == AnswerType.CHOICE
            else [],
        }


def _number(value):
    return None if value is None else float(value)
