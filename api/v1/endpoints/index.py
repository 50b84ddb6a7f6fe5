from django.urls import reverse
from rest_framework.response import Response
from rest_framework.views import APIView

from api import query_parameters
from api.authentication import api_client
from api.v1.schema import index_schema
from content_models import collections


class IndexView(APIView):
    """Where everything in v1 is: each collection's URL (those the client may read), search,
    the schema and the docs."""

    @index_schema
    def get(self, request):
        query_parameters.reject_unknown(request, {"format"})
        client = api_client(request)

        def address(name: str) -> str:
            # Plain addresses: not DRF's `reverse`, which copies the request's `?format=` into
            # every link.
            return request.build_absolute_uri(reverse(f"api:v1:{name}"))

        return Response(
            {
                "collections": {
                    collection.name: address(f"{collection.name}-list")
                    for collection in collections.readable(client.may_read)
                },
                "search": address("search"),
                "manifest": address("manifest"),
                "sync": address("sync"),
                "screening": address("screening"),
                "schema": address("schema"),
                "docs": address("docs"),
            }
        )
