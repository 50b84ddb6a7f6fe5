from rest_framework import serializers

from content_models import collections

from .base import ReviewedItemSerializer, RichTextField


class FaqSerializer(ReviewedItemSerializer):
    collection = collections.by_name("faqs")

    title = serializers.CharField(source="question")
    answer = RichTextField()

    class Meta:
        fields = (*ReviewedItemSerializer.base_fields, "topic", "answer")
