from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import api_client
from api.filters import reject_unknown_parameters, requested_locale
from api.pagination import whole_number_parameter
from api.v1.sync import SyncState, sync_page
from content_models import collections

from .base import LOCALE_PARAMETER, PROBLEM_RESPONSES

MAX_RECORDS = 100


class SyncView(APIView):
    """All live content, then only what changed since: see `api/v1/sync.py`."""

    @extend_schema(
        summary="Mirror the content: everything first, then only changes",
        description="Call without a cursor, then with each `next_cursor` until `has_more` is "
        "false; keep the last cursor and call with it later for what changed since. Each "
        "record is an item's state now: `upsert` with the item in full, or `delete`.",
        parameters=[
            OpenApiParameter(
                "cursor", OpenApiTypes.STR, description="`next_cursor` of the previous call."
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_RECORDS, "default": MAX_RECORDS},
                description="How many records to return.",
            ),
            LOCALE_PARAMETER,
        ],
        responses={
            200: inline_serializer(
                "SyncPage",
                {
                    "records": inline_serializer(
                        "SyncRecord",
                        {
                            "action": serializers.ChoiceField(choices=["upsert", "delete"]),
                            "collection": serializers.ChoiceField(choices=collections.NAMES),
                            "id": serializers.IntegerField(),
                            "item": serializers.DictField(
                                allow_null=True,
                                help_text="The item as its collection's detail shows it; "
                                "null for a deletion.",
                            ),
                        },
                        many=True,
                    ),
                    "next_cursor": serializers.CharField(),
                    "has_more": serializers.BooleanField(),
                },
            ),
            **PROBLEM_RESPONSES,
        },
    )
    def get(self, request):
        reject_unknown_parameters(request, {"cursor", "limit", "locale", "format"})
        limit = whole_number_parameter(request, "limit", MAX_RECORDS, 1, MAX_RECORDS)
        client = api_client(request)
        partner = client.partner.pk if client.partner else None
        cursor = request.query_params.get("cursor")
        if cursor is None:
            state = SyncState(locale=requested_locale(request), partner=partner)
        else:
            if "locale" in request.query_params:
                raise ValidationError(
                    {"locale": ["The cursor carries the language; give one or the other."]}
                )
            state = SyncState.from_cursor(cursor, partner=partner)
        scope = [collection.name for collection in collections.readable(client.may_read)]
        page = sync_page(state, scope=scope, limit=limit, request=request)
        return Response(page)
