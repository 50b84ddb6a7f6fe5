from typing import ClassVar

from api.v1.filters import SideEffectFilterSet
from api.v1.jsonld import side_effect_page
from api.v1.schema import content_schema
from api.v1.serializers.side_effects import SideEffectSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("side effects")
class SideEffectViewSet(ContentViewSet):
    serializer_class = SideEffectSerializer
    jsonld_page = staticmethod(side_effect_page)
    filterset_class = SideEffectFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        "frequency": "frequency",
        "severity": "severity",
        "timing": "timing",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
