from rest_framework import serializers

from content_models.models import FAQ

from .base import ReviewedItemSerializer, RichTextField


class FaqSerializer(ReviewedItemSerializer):
    type_name = "faq"
    collection = "faqs"

    title = serializers.CharField(source="question")
    answer = RichTextField()

    class Meta:
        model = FAQ
        fields = (*ReviewedItemSerializer.base_fields, "topic", "answer")
