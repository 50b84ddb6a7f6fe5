"""Every v1 endpoint, registered in one place: the one place, too, where the API attaches
itself to the collections registry (`content_models/collections.py`).

Each collection of the registry is served by the viewset made from its serializer
(`endpoints/base.content_viewset`), which is found by the collection's name alone: the
`ItemSerializer` of `serializers/<name>.py` (`serializers/side_effects.py`) that names the
collection.
"""

from functools import lru_cache, partial
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import get_script_prefix, get_urlconf, path, reverse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from content_models import collections

from .endpoints.base import content_viewset
from .endpoints.index import IndexView
from .endpoints.manifest import ManifestView
from .endpoints.preview import PreviewView
from .endpoints.screening import EvaluateView, QuestionnaireView
from .endpoints.search import SearchView
from .endpoints.sync import SyncView
from .serializers.base import ItemSerializer

app_name = "v1"


def serializer_of(collection: collections.Collection) -> type[ItemSerializer]:
    """The serializer of a collection's items: the one of `serializers/<name>.py` that names
    the collection."""
    module = import_module(f"{__package__}.serializers.{collection.name.replace('-', '_')}")
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ItemSerializer)
        and value.collection is collection
    ]
    if len(found) != 1:
        raise ImproperlyConfigured(
            f"{module.__name__} holds {len(found)} serializers of the collection "
            f"'{collection.name}': it should hold one."
        )
    return found[0]


# In the registry's order, which is the order of the routes and of the API's index.
VIEWSETS = tuple(
    content_viewset(serializer_of(collection)) for collection in collections.COLLECTIONS
)


def item_path(collection: str, slug: str, language_code: str) -> str:
    """An item's detail address (path): /api/v1/<collection>/<slug>/, with `?locale=` for any
    language but the default."""
    path = _detail_path(get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), collection, slug)
    if language_code != settings.LANGUAGE_CODE:
        path = f"{path}?locale={language_code}"
    return path


@lru_cache(maxsize=8192)
def _detail_path(urlconf: str, script_prefix: str, collection: str, slug: str) -> str:
    # Every item of a response names its address, most twice (`url`, `attribution`), and
    # Django's `reverse` costs more than serializing the rest of the item. Its answer
    # depends only on these arguments (the URL configuration and the script prefix in force).
    return reverse(f"api:v1:{collection}-detail", kwargs={"slug": slug}, urlconf=urlconf)


def attach_to_collections() -> None:
    """Give each collection of the registry its viewset, serializer and item addresses (run
    once, as the API app starts: `api/apps.py`)."""
    for viewset in VIEWSETS:
        collection = viewset.serializer_class.collection
        collection.attach_api(
            viewset=viewset,
            serializer=viewset.serializer_class,
            item_path=partial(item_path, collection.name),
        )


router = SimpleRouter()
for viewset in VIEWSETS:
    name = viewset.serializer_class.collection.name
    router.register(name, viewset, basename=name)

urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("search/", SearchView.as_view(), name="search"),
    path("manifest/", ManifestView.as_view(), name="manifest"),
    path("sync/", SyncView.as_view(), name="sync"),
    path("preview/", PreviewView.as_view(), name="preview"),
    path("screening/", QuestionnaireView.as_view(), name="screening"),
    path("screening/evaluate/", EvaluateView.as_view(), name="screening-evaluate"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # Under the site's Content-Security-Policy: the page loads its start-up script from this
    # same address (`?script`) and its styles from files, nothing inline.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:v1:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    *router.urls,
]

# The API only reads: none of its views needs the transaction ATOMIC_REQUESTS would open
# around each (two more round trips with the database, and a connection held throughout).
for pattern in urlpatterns:
    transaction.non_atomic_requests(pattern.callback)
