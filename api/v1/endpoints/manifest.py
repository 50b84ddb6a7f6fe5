from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from api.authentication import api_client
from api.filters import reject_unknown_parameters, requested_locale
from content_models import collections
from content_models.selectors import live_item_versions

from .base import LOCALE_PARAMETER, PROBLEM_RESPONSES

COLLECTION_BY_TYPE = {collection.type_name: collection for collection in collections.COLLECTIONS}


class ManifestEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=collections.TYPE_NAMES, help_text="The item's type.")
    id = serializers.IntegerField(source="item_id")
    slug = serializers.SlugField(source="item_slug")
    url = serializers.SerializerMethodField(help_text="The item's detail in this API.")
    modified = serializers.DateTimeField(help_text="When it was last published.")
    next_review_due = serializers.DateField(
        source="review_due", allow_null=True, help_text="Null for references and reviewers."
    )
    version = serializers.IntegerField(
        help_text="Changes with every publish of the item: compare it with your copy's."
    )

    def get_url(self, entry) -> str:
        collection = COLLECTION_BY_TYPE[entry["type"]]
        path = collection.api_path(entry["item_slug"], self.context["locale"])
        return self.context["request"].build_absolute_uri(path)


@extend_schema(
    summary="Every published item, one line each",
    description="A manifest for mirroring: type, id, slug, URL, when it last changed and its "
    "version, for every live item in one language, ordered by type and id.",
    parameters=[LOCALE_PARAMETER],
    responses={200: ManifestEntrySerializer(many=True), **PROBLEM_RESPONSES},
)
class ManifestView(ListAPIView):
    serializer_class = ManifestEntrySerializer
    filter_backends = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        reject_unknown_parameters(request, {"locale", "limit", "offset", "format"})
        self.locale = requested_locale(request)

    def get_queryset(self):
        readable = list(collections.readable(api_client(self.request).may_read))
        if not readable:  # a partner licensed for nothing yet
            return []
        return live_item_versions(readable, locale=self.locale)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "locale": self.locale}
