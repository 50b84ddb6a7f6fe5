"""Every v1 endpoint, registered in one place."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .endpoints.articles import ArticleViewSet
from .endpoints.conditions import ConditionViewSet
from .endpoints.eligibility_rules import EligibilityRuleViewSet
from .endpoints.faqs import FaqViewSet
from .endpoints.references import ReferenceViewSet
from .endpoints.reviewers import ReviewerViewSet
from .endpoints.side_effects import SideEffectViewSet
from .endpoints.treatment_forms import TreatmentFormViewSet

app_name = "v1"

# URL segment -> viewset; the segment is also the collection's name in the index.
COLLECTIONS = {
    "treatment-forms": TreatmentFormViewSet,
    "side-effects": SideEffectViewSet,
    "eligibility-rules": EligibilityRuleViewSet,
    "conditions": ConditionViewSet,
    "references": ReferenceViewSet,
    "faqs": FaqViewSet,
    "articles": ArticleViewSet,
    "reviewers": ReviewerViewSet,
}
# Each collection's item type (`side-effect`), as items, search hits and the manifest name it.
TYPE_NAMES = [viewset.serializer_class.type_name for viewset in COLLECTIONS.values()]

router = SimpleRouter()
for prefix, viewset in COLLECTIONS.items():
    router.register(prefix, viewset, basename=prefix)


def _urls():
    # Imported here: these views read COLLECTIONS from this module.
    from .endpoints.index import IndexView
    from .endpoints.manifest import ManifestView
    from .endpoints.search import SearchView
    from .endpoints.sync import SyncView

    return [
        path("", IndexView.as_view(), name="index"),
        path("search/", SearchView.as_view(), name="search"),
        path("manifest/", ManifestView.as_view(), name="manifest"),
        path("sync/", SyncView.as_view(), name="sync"),
        path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
        path("docs/", SpectacularSwaggerView.as_view(url_name="api:v1:schema"), name="docs"),
        *router.urls,
    ]


urlpatterns = _urls()
