from typing import ClassVar

from api.v1.filters import ArticleFilterSet
from api.v1.jsonld import article_page
from api.v1.schema import content_schema
from api.v1.serializers.articles import ArticleSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("articles")
class ArticleViewSet(ContentViewSet):
    serializer_class = ArticleSerializer
    jsonld_page = staticmethod(article_page)
    filterset_class = ArticleFilterSet
    ordering_fields: ClassVar = {
        "title": "title",
        **PUBLICATION_ORDERING,
    }
    ordering = ("title",)
    detail_only_fields = frozenset({"body"})
