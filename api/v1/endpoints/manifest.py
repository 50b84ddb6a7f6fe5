from rest_framework.generics import ListAPIView

from api import query_parameters
from api.authentication import api_client
from api.v1.schema import manifest_schema
from api.v1.serializers.manifest import ManifestEntrySerializer
from content_models import collections
from content_models.selectors import LiveItemVersions


@manifest_schema
class ManifestView(ListAPIView):
    serializer_class = ManifestEntrySerializer
    filter_backends = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not hasattr(self, request.method.lower()):
            return  # a method it does not answer: DRF's 405 follows, whatever the query says
        query_parameters.reject_unknown(request, {"locale", "limit", "offset", "format"})
        self.locale = query_parameters.locale(request)

    def get_queryset(self):
        readable = list(collections.readable(api_client(self.request).may_read))
        if not readable:  # a partner licensed for nothing yet
            return []
        return LiveItemVersions(readable, locale=self.locale)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "locale": self.locale}
