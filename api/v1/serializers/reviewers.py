from typing import ClassVar

from rest_framework import serializers

from content_models import collections

from .. import jsonld
from .base import UnreviewedItemSerializer


class ReviewerSerializer(UnreviewedItemSerializer):
    collection = collections.by_name("reviewers")
    ordering_fields: ClassVar = {"title": "name"}
    ordering = ("name",)
    jsonld_page: ClassVar = {"mainEntity": jsonld.person}

    title = serializers.CharField(source="name")
    summary = serializers.CharField(source="bio")
    is_demo = serializers.BooleanField(
        read_only=True,
        help_text="A placeholder of the demo content, not a real clinician: never credited "
        "as having reviewed anything.",
    )

    class Meta:
        fields = (
            *UnreviewedItemSerializer.base_fields,
            "credentials",
            "specialty",
            "bio",
            "is_demo",
        )
