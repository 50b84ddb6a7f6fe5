from typing import ClassVar

from rest_framework import serializers

from content_models import collections

from .. import filters, jsonld
from .base import ReviewedItemSerializer, RichTextField


class FaqSerializer(ReviewedItemSerializer):
    collection = collections.by_name("faqs")
    ordering_fields: ClassVar = {"title": "question", "topic": "topic"}
    ordering = ("question",)
    list_filters: ClassVar = {"topic": filters.choices()}
    jsonld_page: ClassVar = {
        # Both kinds of page, as neither type is a subtype of the other and schema.org lets a
        # node have several types. Search engines read an FAQPage's questions from mainEntity.
        "@type": ["MedicalWebPage", "FAQPage"],
        "mainEntity": jsonld.question,
    }

    title = serializers.CharField(source="question")
    answer = RichTextField()

    class Meta:
        fields = (*ReviewedItemSerializer.base_fields, "topic", "answer")
