from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.authentication import api_client
from api.filters import reject_unknown_parameters
from content_models import collections

from .base import PROBLEM_RESPONSES


class IndexView(APIView):
    """Where everything in v1 is: each collection's URL (those the client may read), search,
    the schema and the docs."""

    @extend_schema(
        summary="Index of the API",
        responses={
            200: inline_serializer(
                "Index",
                {
                    "collections": serializers.DictField(child=serializers.URLField()),
                    "search": serializers.URLField(),
                    "manifest": serializers.URLField(),
                    "sync": serializers.URLField(),
                    "schema": serializers.URLField(),
                    "docs": serializers.URLField(),
                },
            ),
            **PROBLEM_RESPONSES,
        },
    )
    def get(self, request):
        reject_unknown_parameters(request, {"format"})
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
                "schema": reverse("api:v1:schema", request=request),
                "docs": reverse("api:v1:docs", request=request),
            }
        )
