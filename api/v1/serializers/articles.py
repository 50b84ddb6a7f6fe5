from rest_framework import serializers

from content_models.models import ArticlePage
from content_models.selectors import is_live

from .base import ReviewedItemSerializer


class ArticleSerializer(ReviewedItemSerializer):
    """An article; its `body` (detail only) comes out front-end ready, block by block."""

    type_name = "article"
    collection = "articles"

    body = serializers.SerializerMethodField()

    class Meta:
        model = ArticlePage
        fields = (*ReviewedItemSerializer.base_fields, "body")

    def get_body(self, article) -> list[dict]:
        context = {**self.context, "embed": self.embed}
        return article.body.stream_block.get_api_representation(article.body, context)

    def embed(self, item) -> dict | None:
        """An embedded treatment form, side effect, rule, FAQ or reference, as its API item."""
        if not is_live(item):
            return None
        from .registry import BY_MODEL

        nested_context = {**self.context, "expand": (), "fields": None}
        return BY_MODEL[type(item)](item, context=nested_context).data
