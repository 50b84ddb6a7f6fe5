from rest_framework import serializers

from content_models import collections

from .base import ReviewedItemSerializer, RichTextField


class SideEffectSerializer(ReviewedItemSerializer):
    collection = collections.by_name("side-effects")

    title = serializers.CharField(source="name")
    description = RichTextField()

    class Meta:
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
