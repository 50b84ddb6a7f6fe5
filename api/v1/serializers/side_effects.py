from rest_framework import serializers

from content_models.models import SideEffect

from .base import ExpandableField, ReviewedItemSerializer, RichTextField


class SideEffectSerializer(ReviewedItemSerializer):
    type_name = "side-effect"
    collection = "side-effects"

    title = serializers.CharField(source="name")
    description = RichTextField()
    treatment_forms = ExpandableField(
        "treatment_form", relation="treatment_form_links", target="treatment_form"
    )

    class Meta:
        model = SideEffect
        fields = (
            *ReviewedItemSerializer.base_fields,
            "description",
            "frequency",
            "severity",
            "timing",
            "usual_duration",
            "what_helps",
            "when_to_seek_help",
            "treatment_forms",
        )
