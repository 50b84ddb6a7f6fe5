from rest_framework import serializers

from content_models.models import Condition

from .base import ExpandableField, ReviewedItemSerializer, RichTextField


class ConditionSerializer(ReviewedItemSerializer):
    type_name = "condition"
    collection = "conditions"

    title = serializers.CharField(source="name")
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    description = RichTextField()
    treatment_forms = ExpandableField(
        "treatment_form", relation="treatment_form_links", target="treatment_form"
    )

    class Meta:
        model = Condition
        fields = (
            *ReviewedItemSerializer.base_fields,
            "aliases",
            "description",
            "evidence_strength",
            "treatment_forms",
        )
