from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from api import query_parameters
from api.authentication import api_client
from api.pagination import LimitOffsetPagination
from api.v1.schema import search_schema
from api.v1.serializers.search import HIT_FIELDS
from content_models import collections
from content_models.selectors import live_items, search_hits


class SearchView(APIView):
    """One search across every collection, best matches first, each hit with its `type`."""

    pagination_class = LimitOffsetPagination

    @search_schema
    def get(self, request):
        query_parameters.reject_unknown(
            request, {"q", "type", "locale", "limit", "offset", "format"}
        )
        query = query_parameters.search_words(request, "q")
        if query is None:
            raise ValidationError({"q": [query_parameters.SEARCH_RULE]})
        locale = query_parameters.locale(request)
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
        if "type" not in request.query_params:
            return list(serializers_by_type)
        wanted = query_parameters.comma_separated(request, "type")
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
