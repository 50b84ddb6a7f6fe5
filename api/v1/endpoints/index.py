from rest_framework.response import Response
from rest_framework.reverse import reverse
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
        return Response(
            {
                "collections": {
                    collection.name: reverse(f"api:v1:{collection.name}-list", request=request)
                    for collection in collections.readable(client.may_read)
                },
                "search": reverse("api:v1:search", request=request),
                "manifest": reverse("api:v1:manifest", request=request),
                "sync": reverse("api:v1:sync", request=request),
                "screening": reverse("api:v1:screening", request=request),
                "schema": reverse("api:v1:schema", request=request),
                "docs": reverse("api:v1:docs", request=request),
            }
        )
