from typing import ClassVar

from api.filters import FaqFilterSet
from api.v1.serializers.faqs import FaqSerializer
from content_models.models import FAQ

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("FAQs")
class FaqViewSet(ContentViewSet):
    model = FAQ
    serializer_class = FaqSerializer
    filterset_class = FaqFilterSet
    ordering_fields: ClassVar = {
        "title": "question",
        "topic": "topic",
        **PUBLICATION_ORDERING,
    }
    ordering = ("question",)
