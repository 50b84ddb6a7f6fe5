from typing import ClassVar

from rest_framework import serializers

from content_models import collections
from content_models.enums import Frequency, Severity

from .. import filters, jsonld
from .base import OptionalChoiceField, ReviewedItemSerializer, RichTextField, basis_field


class SideEffectSerializer(ReviewedItemSerializer):
    collection = collections.by_name("side-effects")
    ordering_fields: ClassVar = {
        "title": "name",
        "frequency": "frequency",
        "severity": "severity",
        "timing": "timing",
    }
    ordering = ("name",)
    list_filters: ClassVar = {
        "frequency": filters.choices(),
        "severity": filters.choices(),
        "timing": filters.choices(),
    }
    jsonld_page: ClassVar = {
        "mainEntity": jsonld.Entity(
            "MedicalSignOrSymptom", description=jsonld.plain_text_of("description")
        )
    }

    title = serializers.CharField(source="name")
    description = RichTextField()
    frequency = OptionalChoiceField(
        Frequency.choices, help_text="How often it happens; null when no source says."
    )
    frequency_basis = basis_field("frequency")
    severity = OptionalChoiceField(
        Severity.choices, help_text="How strong it usually is; null when no source says."
    )
    severity_basis = basis_field("severity")

    class Meta:
        fields = (
            *ReviewedItemSerializer.base_fields,
            "description",
            "frequency",
            "frequency_basis",
            "severity",
            "severity_basis",
            "timing",
            "usual_duration",
            "what_helps",
            "when_to_seek_help",
            "treatment_forms",
        )
