from typing import ClassVar

from api.v1.filters import ReferenceFilterSet
from api.v1.jsonld import reference_page
from api.v1.schema import content_schema
from api.v1.serializers.references import ReferenceSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("references")
class ReferenceViewSet(ContentViewSet):
    serializer_class = ReferenceSerializer
    jsonld_page = staticmethod(reference_page)
    filterset_class = ReferenceFilterSet
    ordering_fields: ClassVar = {
        "title": "title",
        "year": "year",
        "publisher": "publisher",
        **PUBLICATION_ORDERING,
    }
    ordering = ("title",)
