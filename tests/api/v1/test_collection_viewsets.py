"""Every collection of the registry is served by the viewset made from its serializer, so a
new content type needs no viewset, filter set or JSON-LD function of its own
(docs/adding-an-endpoint.md). What each collection's lists, details and JSON-LD answer is
tested per collection (`test_<collection>.py`, `test_jsonld.py`)."""

import importlib
import pkgutil

import pytest
from django.db.models import Q
from wagtail.models import Page

from api.v1 import endpoints
from api.v1.endpoints.base import PUBLICATION_ORDERING, ContentViewSet
from api.v1.filters import PublishedSinceFilterSet, ReviewFilterSet
from content_models import collections

each_collection = pytest.mark.parametrize(
    "collection", collections.COLLECTIONS, ids=collections.NAMES
)


@each_collection
def test_collection_is_served_by_the_viewset_made_from_its_serializer(collection):
    viewset = collection.viewset

    assert viewset.__bases__ == (ContentViewSet,)
    assert viewset.__module__ == "api.v1.endpoints.base"
    assert viewset.serializer_class is collection.serializer
    # Found by the collection's name alone.
    module_name = collection.name.replace("-", "_")
    assert collection.serializer.__module__ == f"api.v1.serializers.{module_name}"


@each_collection
def test_list_filters_by_publication_review_treatment_form_then_its_own(collection):
    shared = ReviewFilterSet if collection.is_medically_reviewed else PublishedSinceFilterSet
    applies_to = ["treatment_form"] if collections.APPLIES_TO in collection.relations else []

    filters = collection.viewset.filterset_class.base_filters

    assert list(filters) == [*shared.base_filters, *applies_to, *collection.serializer.list_filters]


@each_collection
def test_collection_orders_by_fields_of_its_model_and_by_publication(collection):
    viewset = collection.viewset

    assert viewset.ordering_fields == {
        **collection.serializer.ordering_fields,
        **PUBLICATION_ORDERING,
    }
    for field in [*viewset.ordering_fields.values(), *viewset.ordering]:
        # FieldDoesNotExist for a declaration that names no field of the model.
        collection.model._meta.get_field(field.removeprefix("-"))


@pytest.mark.parametrize(
    "collection",
    [
        collection
        for collection in collections.COLLECTIONS
        if not issubclass(collection.model, Page)
    ],
    ids=lambda collection: collection.name,
)
def test_list_in_its_default_order_walks_an_index_of_live_items(collection):
    # A list's first page then reads 20 entries of an index rather than sorting every live
    # item, and costs as little at 100,000 items as at 1,000 (`make bench`). Article pages
    # are Wagtail's pages, ordered and indexed by Wagtail.
    in_default_order = [*collection.serializer.ordering, "id"]

    assert [
        index
        for index in collection.model._meta.indexes
        if index.fields == in_default_order and index.condition == Q(live=True)
    ]


def test_no_endpoints_module_serves_a_collection_of_its_own():
    modules = [
        importlib.import_module(f"{endpoints.__name__}.{module.name}")
        for module in pkgutil.iter_modules(endpoints.__path__)
    ]
    viewset_classes = [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ContentViewSet)
        and value.__module__ == module.__name__
    ]
    collection_modules = {name.replace("-", "_") for name in collections.NAMES}

    assert viewset_classes == [ContentViewSet]
    assert not {module.__name__.rsplit(".", 1)[1] for module in modules} & collection_modules
