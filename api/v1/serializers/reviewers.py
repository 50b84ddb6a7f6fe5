from rest_framework import serializers

from content_models import collections

from .base import UnreviewedItemSerializer


class ReviewerSerializer(UnreviewedItemSerializer):
    collection = collections.by_name("reviewers")

    title = serializers.CharField(source="name")
    summary = serializers.CharField(source="bio")

    class Meta:
        fields = (*UnreviewedItemSerializer.base_fields, "credentials", "specialty", "bio")
