from typing import ClassVar

from api.filters import SideEffectFilterSet
from api.v1.serializers.side_effects import SideEffectSerializer
from content_models.models import SideEffect

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("side effects")
class SideEffectViewSet(ContentViewSet):
    model = SideEffect
    serializer_class = SideEffectSerializer
    filterset_class = SideEffectFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        "frequency": "frequency",
        "severity": "severity",
        "timing": "timing",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
