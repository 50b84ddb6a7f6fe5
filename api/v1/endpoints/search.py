from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from api.authentication import api_client
from api.filters import (
    COMMA_SEPARATED,
    comma_separated_schema,
    content_languages,
    reject_unknown_parameters,
    requested_locale,
)
from api.pagination import LimitOffsetPagination
from content_models import collections
from content_models.selectors import live_items, search_hits

from ..serializers.base import AttributionSerializer
from .base import LOCALE_PARAMETER, PROBLEM_RESPONSES


class SearchHitSerializer(serializers.Serializer):
    """What a hit shows, for the schema: each hit is written by its collection's serializer,
    asked for these fields only."""

    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=collections.TYPE_NAMES)
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_null=True, help_text="Null for a reference without one.")
    url = serializers.URLField(help_text="The item in this API.")
    html_url = serializers.URLField(
        allow_null=True,
        help_text="The item on the public site; null when no site address is configured.",
    )
    locale = serializers.ChoiceField(choices=content_languages())
    last_published_at = serializers.DateTimeField()
    attribution = AttributionSerializer()


HIT_FIELDS = set(SearchHitSerializer._declared_fields)


class SearchView(APIView):
    """One search across every collection, best matches first, each hit with its `type`."""

    pagination_class = LimitOffsetPagination

    @extend_schema(
        summary="Search every collection",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Words to find."),
            OpenApiParameter(
                "type",
                comma_separated_schema(collections.TYPE_NAMES),
                description="Item types to search, comma-separated (default: all).",
                **COMMA_SEPARATED,
            ),
            LOCALE_PARAMETER,
            OpenApiParameter(
                "limit",
                LimitOffsetPagination.limit_schema(),
                description="How many hits to return.",
            ),
            OpenApiParameter(
                "offset",
                LimitOffsetPagination.offset_schema(),
                description="How many hits to skip.",
            ),
        ],
        responses={
            200: inline_serializer(
                "SearchResults",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": SearchHitSerializer(many=True),
                },
            ),
            **PROBLEM_RESPONSES,
        },
    )
    def get(self, request):
        reject_unknown_parameters(request, {"q", "type", "locale", "limit", "offset", "format"})
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ValidationError({"q": ["Give the words to search for."]})
        locale = requested_locale(request)
        client = api_client(request)
        # Types outside a partner's scope are not searched, and `?type=` does not know them.
        serializers_by_type = {
            collection.type_name: collection.serializer
            for collection in collections.readable(client.may_read)
        }
        wanted = self._wanted_types(request, serializers_by_type)

        scored = []
        for type_name in wanted:
            serializer_class = serializers_by_type[type_name]
            live = live_items(serializer_class.collection.model, locale=locale, related_depth=None)
            found = search_hits(live, query)
            scored += [(hit.search_score, serializer_class, hit) for hit in found]
        scored.sort(key=lambda hit: hit[0], reverse=True)

        paginator = self.pagination_class()
        page = paginator.paginate_queryset(scored, request, view=self)
        context = {"request": request, "fields": HIT_FIELDS, "expand": ()}
        hits = [
            serializer_class(item, context=context).data for _score, serializer_class, item in page
        ]
        return paginator.get_paginated_response(hits)

    @staticmethod
    def _wanted_types(request, serializers_by_type) -> list[str]:
        raw = request.query_params.get("type")
        if not raw:
            return list(serializers_by_type)
        wanted = [name.strip() for name in raw.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in serializers_by_type]
        if unknown:
            raise ValidationError(
                {
                    "type": [
                        f"Unknown type {', '.join(unknown)}. Use: {', '.join(serializers_by_type)}."
                    ]
                }
            )
        return wanted
