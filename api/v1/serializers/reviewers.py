from rest_framework import serializers

from content_models.models import MedicalReviewer

from .base import UnreviewedItemSerializer


class ReviewerSerializer(UnreviewedItemSerializer):
    type_name = "reviewer"
    collection = "reviewers"

    title = serializers.CharField(source="name")
    summary = serializers.CharField(source="bio")

    class Meta:
        model = MedicalReviewer
        fields = (*UnreviewedItemSerializer.base_fields, "credentials", "specialty", "bio")
