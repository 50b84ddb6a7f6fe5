from django.core.cache import cache
from rest_framework.generics import ListAPIView

from api import caching, query_parameters
from api.authentication import api_client
from api.v1.schema import manifest_schema
from api.v1.serializers.manifest import ManifestEntrySerializer
from content_models import collections, content_generation
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
        # The schema generator asks, with no request, only to learn a model: there is none.
        if getattr(self, "swagger_fake_view", False):
            return []
        readable = list(collections.readable(api_client(self.request).may_read))
        if not readable:  # a partner licensed for nothing yet
            return []
        # Counting every live item is what a page of the manifest costs at 100,000 items, and
        # a mirror reads a thousand pages: the counts are kept for the content's generation,
        # which every change renews, so they are counted once per change, not once per page.
        generation = content_generation.current()
        if generation.has_expired_content():  # an expiry the generation has not seen yet
            return LiveItemVersions(readable, locale=self.locale)
        names = ",".join(sorted(collection.name for collection in readable))
        key = f"manifest-counts:{generation.token.hex}:{self.locale}:{names}"
        counts = cache.get(key)
        versions = LiveItemVersions(readable, locale=self.locale, counts=counts)
        if counts is None:
            cache.set(key, versions.counts_by_collection(), timeout=caching.CACHE_SECONDS)
        return versions

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "locale": self.locale}
