"""Headless preview: an editor's draft, read with the token the admin's preview made
(`content_models/preview.py`), in exactly the shape its collection's detail has once live."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.cache import add_never_cache_headers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import query_parameters
from api.authentication import api_client
from api.v1.schema import preview_schema
from api.v1.serializers.base import RichTextBatch
from content_models import collections
from content_models.preview import InvalidPreviewToken, draft_for_preview

NO_TOKEN = "Give the preview token that the admin's preview made (`?token=`)."
BAD_TOKEN = "This preview token is not valid or has expired. Open the preview in the admin again."


class PreviewView(APIView):
    """The latest draft of the one item a preview token names.

    Never stored by the response cache nor by any other (`Cache-Control: no-store`): a draft
    changes as the editor types, and is for whoever holds the token only.
    """

    @preview_schema
    def get(self, request):
        query_parameters.reject_unknown(request, {"token", "fields", "expand", "format"})
        token = request.query_params.get("token", "")
        if not token:
            raise ValidationError({"token": [NO_TOKEN]})
        try:
            item = draft_for_preview(token, collections.MODELS)
        except InvalidPreviewToken:
            raise PermissionDenied(BAD_TOKEN) from None
        except ObjectDoesNotExist:
            raise NotFound("The item this preview token names no longer exists.") from None
        collection = collections.for_model(type(item))
        client = api_client(request)
        if not client.may_read(collection.name):
            raise NotFound("The item this preview token names is outside your key's scope.")

        serializer_class = collection.serializer
        fields = set(query_parameters.comma_separated(request, "fields"))
        expand = set(query_parameters.comma_separated(request, "expand"))
        serializer_class.validate_request(fields, expand, readable=client.may_read)
        rich_text = RichTextBatch()
        context = {"request": request, "fields": fields, "expand": expand, "rich_text": rich_text}
        response = Response(rich_text.expand_in(serializer_class(item, context=context).data))
        add_never_cache_headers(response)
        return response
