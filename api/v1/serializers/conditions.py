from typing import ClassVar

from rest_framework import serializers

from content_models import collections
from content_models.enums import EvidenceStrength

from .. import filters, jsonld
from .base import OptionalChoiceField, ReviewedItemSerializer, RichTextField, basis_field


class ConditionSerializer(ReviewedItemSerializer):
    collection = collections.by_name("conditions")
    ordering_fields: ClassVar = {"title": "name", "evidence_strength": "evidence_strength"}
    ordering = ("name",)
    list_filters: ClassVar = {"evidence_strength": filters.choices()}
    jsonld_page: ClassVar = {
        "mainEntity": jsonld.Entity(
            "MedicalCondition",
            alternateName="alias_list",
            description=jsonld.plain_text_of("description"),
            possibleTreatment=jsonld.related_in_brief("treatment_forms"),
        )
    }

    title = serializers.CharField(source="name")
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    description = RichTextField()
    evidence_strength = OptionalChoiceField(
        EvidenceStrength.choices,
        help_text="How well the cited studies support ketamine for it; null when no source "
        "grades the evidence.",
    )
    evidence_strength_basis = basis_field("strength of evidence")

    class Meta:
        fields = (
            *ReviewedItemSerializer.base_fields,
            "aliases",
            "description",
            "evidence_strength",
            "evidence_strength_basis",
            "treatment_forms",
        )
