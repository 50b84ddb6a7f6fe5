from typing import ClassVar

from api.filters import ReviewerFilterSet
from api.v1.serializers.reviewers import ReviewerSerializer
from content_models.models import MedicalReviewer

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("medical reviewers")
class ReviewerViewSet(ContentViewSet):
    model = MedicalReviewer
    serializer_class = ReviewerSerializer
    filterset_class = ReviewerFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
