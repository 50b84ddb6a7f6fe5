from functools import cache
from typing import ClassVar

from django.db.models import Model
from rest_framework import serializers

from api.authentication import api_client
from content_models import collections
from content_models.blocks.article_blocks import embedded_item_ids, embedded_items_read
from content_models.selectors import live_items_by_id

from .. import jsonld
from .base import ReviewedItemSerializer


class ArticleSerializer(ReviewedItemSerializer):
    """An article; its `body` (detail only) comes out front-end ready, block by block."""

    collection = collections.by_name("articles")
    ordering_fields: ClassVar = {"title": "title"}
    ordering = ("title",)
    detail_only_fields = frozenset({"body"})
    # An article is about the clinical items its body embeds; the FAQs it embeds are part of
    # it. (Its prose stays in the JSON `body`.)
    jsonld_page: ClassVar = {
        "about": jsonld.embedded_in(
            "treatment_form",
            "side_effect_list",
            "eligibility_rule_list",
            shown_as=jsonld.in_brief,
        ),
        "hasPart": jsonld.embedded_in("faq_list", shown_as=jsonld.question),
    }

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
        # The body's blocks take the live items just read, rather than reading them again.
        with embedded_items_read(live_embedded):
            return article.body.stream_block.get_api_representation(article.body, context)

    def _live_embedded_items(self, article) -> dict[tuple[type, int], Model]:
        """Every item the body embeds that is live, with its relations prefetched: one query
        set per content type rather than one per embedded item."""
        language = article.locale.language_code
        return {
            (model, pk): item
            for model, ids in embedded_item_ids(article.body).items()
            for pk, item in live_items_by_id(model, locale=language, ids=ids).items()
        }
