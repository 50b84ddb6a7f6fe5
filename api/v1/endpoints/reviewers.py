from typing import ClassVar

from api.v1.filters import ReviewerFilterSet
from api.v1.jsonld import reviewer_page
from api.v1.schema import content_schema
from api.v1.serializers.reviewers import ReviewerSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("medical reviewers")
class ReviewerViewSet(ContentViewSet):
    serializer_class = ReviewerSerializer
    jsonld_page = staticmethod(reviewer_page)
    filterset_class = ReviewerFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
