from typing import ClassVar

from api.filters import ConditionFilterSet
from api.v1.serializers.conditions import ConditionSerializer
from content_models.models import Condition

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("conditions treated")
class ConditionViewSet(ContentViewSet):
    model = Condition
    serializer_class = ConditionSerializer
    filterset_class = ConditionFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        "evidence_strength": "evidence_strength",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
