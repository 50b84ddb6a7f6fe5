from typing import ClassVar

from api.v1.filters import FaqFilterSet
from api.v1.jsonld import faq_page
from api.v1.schema import content_schema
from api.v1.serializers.faqs import FaqSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("FAQs")
class FaqViewSet(ContentViewSet):
    serializer_class = FaqSerializer
    jsonld_page = staticmethod(faq_page)
    filterset_class = FaqFilterSet
    ordering_fields: ClassVar = {
        "title": "question",
        "topic": "topic",
        **PUBLICATION_ORDERING,
    }
    ordering = ("question",)
