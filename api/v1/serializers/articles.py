from collections import defaultdict
from functools import cache

from django.db.models import Model
from rest_framework import serializers
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue

from api.authentication import api_client
from content_models import collections
from content_models.selectors import live_items

from .base import ReviewedItemSerializer


class ArticleSerializer(ReviewedItemSerializer):
    """An article; its `body` (detail only) comes out front-end ready, block by block."""

    collection = collections.by_name("articles")

    body = serializers.SerializerMethodField()

    class Meta:
        fields = (*ReviewedItemSerializer.base_fields, "body")

    def get_body(self, article) -> list[dict]:
        live_embedded = self._live_embedded_items(article)
        nested_context = {**self.context, "expand": (), "fields": None}
        client = api_client(self.context.get("request"))

        @cache
        def serializer_for(serializer_class):
            # One serializer per content type for the whole body, not one per embedded item:
            # building a serializer's fields costs more than using them.
            return serializer_class(context=nested_context)

        def embed(item) -> dict | None:
            """An embedded item as its API representation, or None if it is not live or its
            collection is outside the client's scope."""
            live_item = live_embedded.get((type(item), item.pk))
            collection = collections.for_model(type(item))
            if live_item is None or not client.may_read(collection.name):
                return None
            return serializer_for(collection.serializer).to_representation(live_item)

        context = {**self.context, "embed": embed}
        return article.body.stream_block.get_api_representation(article.body, context)

    def _live_embedded_items(self, article) -> dict[tuple[type, int], Model]:
        """Every item the body embeds that is live, with its relations prefetched: one query
        set per content type rather than one per embedded item."""
        ids_by_model = defaultdict(set)
        for item in _models_in(article.body):
            ids_by_model[type(item)].add(item.pk)
        language = article.locale.language_code
        return {
            (model, pk): item
            for model, ids in ids_by_model.items()
            for pk, item in live_items(model, locale=language, related_depth=0).in_bulk(ids).items()
        }


def _models_in(value):
    """The model instances inside a StreamField value, however deeply nested."""
    if isinstance(value, Model):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _models_in(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from _models_in(child)
    elif isinstance(value, ListValue | list):
        for child in value:
            yield from _models_in(child)
