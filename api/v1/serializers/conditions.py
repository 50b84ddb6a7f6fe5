from rest_framework import serializers

from content_models import collections

from .base import ReviewedItemSerializer, RichTextField


class ConditionSerializer(ReviewedItemSerializer):
    collection = collections.by_name("conditions")

    title = serializers.CharField(source="name")
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    description = RichTextField()

    class Meta:
        fields = (
            *ReviewedItemSerializer.base_fields,
            "aliases",
            "description",
            "evidence_strength",
            "treatment_forms",
        )
