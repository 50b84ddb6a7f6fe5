"""Every collection's viewset: one class, `ContentViewSet`, made into each collection's by
`content_viewset` from what its serializer declares."""

from typing import ClassVar

from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api import query_parameters
from api.authentication import api_client
from api.filters import CollectionFilterBackend, StrictOrderingFilter, WagtailSearchFilter
from api.renderers import JSONLDRenderer
from api.v1.filters import filterset_for
from api.v1.jsonld import item_jsonld
from api.v1.schema import content_schema
from api.v1.serializers.base import ItemSerializer, RichTextBatch
from content_models.collections import Collection
from content_models.selectors import LiveItemPages, live_item, live_items

# The parameters of a list that no filter, search or ordering narrows or reorders.
EVERY_ITEM_PARAMETERS = query_parameters.LIST_PARAMETERS - {"search", "ordering"}

PUBLICATION_ORDERING = {
    "first_published_at": "first_published_at",
    "last_published_at": "last_published_at",
}


class ContentViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail (by slug) of one collection: live content in one language only.

    A detail is also offered as schema.org JSON-LD (`Accept: application/ld+json` or
    `?format=jsonld`); a list is not, as linked data describes one page at a time.
    """

    lookup_field = "slug"
    filter_backends = (CollectionFilterBackend, StrictOrderingFilter, WagtailSearchFilter)
    # API name -> model field, for `?ordering=`.
    ordering_fields: ClassVar[dict[str, str]] = {}
    ordering: tuple[str, ...] = ()
    # Fields only a detail carries (too costly to build for every item of a list).
    detail_only_fields: frozenset[str] = frozenset()

    @property
    def collection(self) -> Collection:
        return self.serializer_class.collection

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is None:
            # A method this address does not answer: DRF's 405 (with `Allow`) follows, whatever
            # the query says.
            return
        client = api_client(request)
        if not client.may_read(self.collection.name):
            # As if it did not exist: a partner's key sees only what it is licensed for.
            raise NotFound(f"There is no endpoint at {request.path}.")
        if self.action == "list":
            allowed = query_parameters.LIST_PARAMETERS | set(self.filterset_class.base_filters)
            excluded = self.detail_only_fields
        else:
            allowed, excluded = query_parameters.DETAIL_PARAMETERS, frozenset()
        query_parameters.reject_unknown(request, allowed)
        self.locale = query_parameters.locale(request)
        self.requested_fields = set(query_parameters.comma_separated(request, "fields"))
        self.expanded = set(query_parameters.comma_separated(request, "expand"))
        self.serializer_class.validate_request(
            self.requested_fields, self.expanded, excluded, readable=client.may_read
        )
        self.rich_text = RichTextBatch()

    def get_renderers(self):
        renderers = super().get_renderers()
        # A detail is known by its slug in the URL, not by `self.action`: the schema generator
        # sets the action on a view with no URL and would then list JSON-LD for every response
        # of a detail, errors too. `schema.content_schema` documents the JSON-LD 200 itself.
        if "slug" in self.kwargs:
            renderers.append(JSONLDRenderer())
        return renderers

    def get_queryset(self):
        # The schema generator asks for the queryset (to learn the model) without a request,
        # so without the locale `initial` reads from one.
        if getattr(self, "swagger_fake_view", False):
            return self.collection.model.objects.none()
        queryset = live_items(self.collection.model, locale=self.locale, in_full=self._in_full())
        if self.action == "list" and (deferred := self._detail_only_columns()):
            # A list never shows them (an article's body), so it does not read them either.
            queryset = queryset.defer(*deferred)
        return queryset

    def _in_full(self) -> set[str] | None:
        """The relations whose items are shown in full: JSON-LD names every related item
        with its name and summary; JSON shows the items of a relation in full only when
        `?expand=` asks for them, else by their slugs."""
        renderer = getattr(self.request, "accepted_renderer", None)
        return None if isinstance(renderer, JSONLDRenderer) else self.expanded

    def filter_queryset(self, queryset):
        if self.action == "list" and set(self.request.query_params) <= EVERY_ITEM_PARAMETERS:
            # Every live item in the default order, the commonest list: each page is read
            # with SQL compiled once per process rather than on every request.
            return LiveItemPages(
                self.collection.model,
                locale=self.locale,
                in_full=self._in_full(),
                ordering=StrictOrderingFilter().get_ordering(self.request, queryset, self),
                deferred=self._detail_only_columns(),
            )
        return super().filter_queryset(queryset)

    def _detail_only_columns(self) -> list[str]:
        model_fields = {field.name for field in self.collection.model._meta.concrete_fields}
        return sorted(self.detail_only_fields & model_fields)

    def get_object(self):
        slug = self.kwargs["slug"]
        model = self.collection.model
        try:
            # No slug holds a NUL character, and PostgreSQL cannot even compare with one.
            if "\x00" in slug:
                raise model.DoesNotExist
            return live_item(model, locale=self.locale, slug=slug, in_full=self._in_full())
        except model.DoesNotExist:
            raise NotFound(
                f"No published {model._meta.verbose_name} has the slug '{slug}' "
                f"in locale '{self.locale}'."
            ) from None

    def retrieve(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, JSONLDRenderer):
            return Response(item_jsonld(self.get_object(), request))
        return super().retrieve(request, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        fields = self.requested_fields
        if self.action == "list" and not fields:
            fields = set(self.serializer_class.Meta.fields) - self.detail_only_fields
        return {**context, "fields": fields, "expand": self.expanded, "rich_text": self.rich_text}

    def finalize_response(self, request, response, *args, **kwargs):
        # The rich text of every item serialized, expanded in one pass (see RichTextBatch).
        rich_text = getattr(self, "rich_text", None)
        if rich_text and isinstance(response, Response):
            response.data = rich_text.expand_in(response.data)
        return super().finalize_response(request, response, *args, **kwargs)


def content_viewset(serializer: type[ItemSerializer]) -> type[ContentViewSet]:
    """The viewset of the serializer's collection: its ordering, filters (`filters.py`),
    detail-only fields and JSON-LD page as the serializer declares them, and its OpenAPI
    documentation (`schema.content_schema`), which names the collection by its label."""
    collection = serializer.collection
    viewset = type(
        # As a hand-written class would be named: DRF's answer to OPTIONS shows the class's
        # name ("Side Effect List").
        f"{collection.type_name.title().replace('-', '')}ViewSet",
        (ContentViewSet,),
        {
            "serializer_class": serializer,
            "filterset_class": filterset_for(collection, serializer.list_filters),
            # Every collection can be ordered by its publication dates too.
            "ordering_fields": {**serializer.ordering_fields, **PUBLICATION_ORDERING},
            "ordering": serializer.ordering,
            "detail_only_fields": serializer.detail_only_fields,
        },
    )
    return content_schema(collection.label)(viewset)
