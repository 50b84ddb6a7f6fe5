from typing import ClassVar

from api.v1.filters import ConditionFilterSet
from api.v1.jsonld import condition_page
from api.v1.schema import content_schema
from api.v1.serializers.conditions import ConditionSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("conditions treated")
class ConditionViewSet(ContentViewSet):
    serializer_class = ConditionSerializer
    jsonld_page = staticmethod(condition_page)
    filterset_class = ConditionFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        "evidence_strength": "evidence_strength",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
