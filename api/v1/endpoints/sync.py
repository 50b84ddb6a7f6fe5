from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import query_parameters
from api.authentication import api_client
from api.v1.schema import sync_schema
from api.v1.sync import MAX_RECORDS, SyncState, sync_page
from content_models import collections


class SyncView(APIView):
    """All live content, then only what changed since: see `api/v1/sync.py`."""

    @sync_schema
    def get(self, request):
        query_parameters.reject_unknown(request, {"cursor", "limit", "locale", "format"})
        limit = query_parameters.whole_number(request, "limit", MAX_RECORDS, 1, MAX_RECORDS)
        client = api_client(request)
        partner = client.partner.pk if client.partner else None
        cursor = request.query_params.get("cursor")
        if cursor is None:
            state = SyncState(locale=query_parameters.locale(request), partner=partner)
        else:
            if "locale" in request.query_params:
                raise ValidationError(
                    {"locale": ["The cursor carries the language; give one or the other."]}
                )
            state = SyncState.from_cursor(cursor, partner=partner)
        scope = [collection.name for collection in collections.readable(client.may_read)]
        page = sync_page(state, scope=scope, limit=limit, request=request)
        return Response(page)
