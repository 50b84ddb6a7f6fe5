from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.authentication import api_client
from api.errors import PROBLEM_CONTENT_TYPE, ProblemSerializer
from api.filters import (
    COMMA_SEPARATED,
    DETAIL_PARAMETERS,
    LIST_PARAMETERS,
    StrictOrderingFilter,
    WagtailSearchFilter,
    comma_separated_schema,
    content_languages,
    reject_unknown_parameters,
    requested_locale,
)
from api.renderers import JSONLDRenderer
from api.v1.jsonld import item_jsonld
from api.v1.serializers.base import RichTextBatch
from content_models.collections import Collection
from content_models.selectors import live_items

LOCALE_PARAMETER = OpenApiParameter(
    "locale",
    OpenApiTypes.STR,
    enum=content_languages(),
    default=settings.LANGUAGE_CODE,
    description="Content language.",
)
PUBLICATION_ORDERING = {
    "first_published_at": "first_published_at",
    "last_published_at": "last_published_at",
}
# Errors every endpoint can answer, documented as served: problem+json, not JSON.
PROBLEM_RESPONSES = {
    (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ProblemSerializer,
        description="A query parameter is unknown or its value is invalid; `errors` names each.",
    ),
    (406, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ProblemSerializer, description="The address does not answer in the asked-for format."
    ),
}
DETAIL_PROBLEM_RESPONSES = {
    **PROBLEM_RESPONSES,
    (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ProblemSerializer, description="No published item has this slug in this locale."
    ),
}
SLUG_PARAMETER = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The item's slug, the last part of its address, e.g. `nasal-spray`.",
)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "jsonld"],
    description="jsonld: schema.org JSON-LD, as with `Accept: application/ld+json`.",
)
DETAIL_DESCRIPTION = (
    "The item as JSON, or, asked for `application/ld+json`, as schema.org JSON-LD: a "
    "MedicalWebPage (license, publisher, last review and reviewer, citations) whose mainEntity "
    "is what the page presents (MedicalTherapy, MedicalSignOrSymptom, MedicalContraindication, "
    "MedicalCondition, ScholarlyArticle, Question, Person)."
)


def comma_separated(request, name: str) -> set[str]:
    return {
        value.strip() for value in request.query_params.get(name, "").split(",") if value.strip()
    }


class ContentViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail (by slug) of one collection: live content in one language only.

    A detail is also offered as schema.org JSON-LD (`Accept: application/ld+json` or
    `?format=jsonld`); a list is not, as linked data describes one page at a time.
    """

    lookup_field = "slug"
    filter_backends = (DjangoFilterBackend, StrictOrderingFilter, WagtailSearchFilter)
    # API name -> model field, for `?ordering=`.
    ordering_fields: ClassVar[dict[str, str]] = {}
    ordering: tuple[str, ...] = ()
    # Fields only a detail carries (too costly to build for every item of a list).
    detail_only_fields: frozenset[str] = frozenset()
    # The item's schema.org page, as a function of `api/v1/jsonld.py` (item, request) -> dict.
    jsonld_page: Callable[..., dict]

    @property
    def collection(self) -> Collection:
        return self.serializer_class.collection

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        client = api_client(request)
        if not client.may_read(self.collection.name):
            # As if it did not exist: a partner's key sees only what it is licensed for.
            raise NotFound(f"There is no endpoint at {request.path}.")
        if self.action == "list":
            allowed = LIST_PARAMETERS | set(self.filterset_class.base_filters)
            excluded = self.detail_only_fields
        else:
            allowed, excluded = DETAIL_PARAMETERS, frozenset()
        reject_unknown_parameters(request, allowed)
        self.locale = requested_locale(request)
        self.requested_fields = comma_separated(request, "fields")
        self.expanded = comma_separated(request, "expand")
        self.serializer_class.validate_request(
            self.requested_fields, self.expanded, excluded, readable=client.may_read
        )
        self.rich_text = RichTextBatch()

    def get_renderers(self):
        renderers = super().get_renderers()
        # A detail is known by its slug in the URL, not by `self.action`: the schema generator
        # sets the action on a view with no URL and would then list JSON-LD for every response
        # of a detail, errors too. `content_schema` documents the JSON-LD 200 itself.
        if "slug" in self.kwargs:
            renderers.append(JSONLDRenderer())
        return renderers

    def get_queryset(self):
        # The schema generator asks for the queryset (to learn the model) without a request,
        # so without the locale `initial` reads from one.
        if getattr(self, "swagger_fake_view", False):
            return self.collection.model.objects.none()
        return live_items(self.collection.model, locale=self.locale)

    def get_object(self):
        slug = self.kwargs["slug"]
        model = self.collection.model
        try:
            # No slug holds a NUL character, and PostgreSQL cannot even compare with one.
            if "\x00" in slug:
                raise model.DoesNotExist
            return self.get_queryset().get(slug=slug)
        except model.DoesNotExist:
            raise NotFound(
                f"No published {model._meta.verbose_name} has the slug '{slug}' "
                f"in locale '{self.locale}'."
            ) from None

    def retrieve(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, JSONLDRenderer):
            return Response(item_jsonld(self.get_object(), self.jsonld_page, request))
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


def fields_parameter(fields) -> OpenApiParameter:
    """`?fields=`, offering these fields."""
    return OpenApiParameter(
        "fields",
        comma_separated_schema(fields),
        description="Fields to return, comma-separated (id, type and attribution always come).",
        **COMMA_SEPARATED,
    )


def expand_parameters(serializer) -> list[OpenApiParameter]:
    """`?expand=`, for a collection whose items have relations to expand."""
    expandable = serializer.expandable_fields()
    if not expandable:
        return []
    return [
        OpenApiParameter(
            "expand",
            comma_separated_schema(expandable),
            description="Relations to embed in full instead of as slugs, comma-separated.",
            **COMMA_SEPARATED,
        )
    ]


def content_schema(resource: str):
    """OpenAPI documentation shared by every collection's list and detail (a class decorator
    for a `ContentViewSet`)."""

    def document(viewset: type[ContentViewSet]) -> type[ContentViewSet]:
        serializer = viewset.serializer_class
        all_fields = serializer.Meta.fields
        list_fields = [name for name in all_fields if name not in viewset.detail_only_fields]
        expand = expand_parameters(serializer)
        return extend_schema_view(
            list=extend_schema(
                summary=f"List published {resource}",
                parameters=[fields_parameter(list_fields), *expand, LOCALE_PARAMETER],
                responses={200: serializer(many=True), **PROBLEM_RESPONSES},
            ),
            retrieve=extend_schema(
                summary=f"One published item of {resource}, by slug",
                parameters=[
                    SLUG_PARAMETER,
                    fields_parameter(all_fields),
                    *expand,
                    LOCALE_PARAMETER,
                    FORMAT_PARAMETER,
                ],
                responses={
                    (200, "application/json"): OpenApiResponse(
                        serializer, description=DETAIL_DESCRIPTION
                    ),
                    (200, "application/ld+json"): OpenApiTypes.OBJECT,
                    **DETAIL_PROBLEM_RESPONSES,
                },
            ),
        )(viewset)

    return document
