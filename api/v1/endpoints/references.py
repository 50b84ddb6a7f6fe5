from typing import ClassVar

from api.filters import ReferenceFilterSet
from api.v1.serializers.references import ReferenceSerializer
from content_models.models import Reference

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("references")
class ReferenceViewSet(ContentViewSet):
    model = Reference
    serializer_class = ReferenceSerializer
    filterset_class = ReferenceFilterSet
    ordering_fields: ClassVar = {
        "title": "title",
        "year": "year",
        "publisher": "publisher",
        **PUBLICATION_ORDERING,
    }
    ordering = ("title",)
