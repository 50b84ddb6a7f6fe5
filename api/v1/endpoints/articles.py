from typing import ClassVar

from api.filters import ArticleFilterSet
from api.v1.serializers.articles import ArticleSerializer
from content_models.models import ArticlePage

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("articles")
class ArticleViewSet(ContentViewSet):
    model = ArticlePage
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet
    ordering_fields: ClassVar = {
        "title": "title",
        **PUBLICATION_ORDERING,
    }
    ordering = ("title",)
    detail_only_fields = frozenset({"body"})
