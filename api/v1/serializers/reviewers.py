from rest_framework import serializers

from content_models import collections

from .base import UnreviewedItemSerializer


class ReviewerSerializer(UnreviewedItemSerializer):
    collection = collections.by_name("reviewers")

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
