"""The OpenAPI declarations of v1 (drf-spectacular): the views' parameters, responses and
summaries, applied to the views as decorators, and how the serializers' own field types are
described. What the whole document shares (API keys, rate limits, validators) is added
afterwards by `api/schema.py`."""

from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

from api.errors import PROBLEM_CONTENT_TYPE, ProblemSerializer
from api.pagination import LimitOffsetPagination
from api.query_parameters import SEARCH_RULE, content_languages
from api.schema import COMMA_SEPARATED, comma_separated_schema, search_words_schema
from content_models import collections

from .serializers.base import ConstantField, ExpandableField, ItemSerializer
from .serializers.manifest import ManifestEntrySerializer
from .serializers.screening import (
    ScreenerAnswersSerializer,
    ScreenerEvaluationSerializer,
    ScreenerQuestionnaireSerializer,
)
from .serializers.search import SearchHitSerializer
from .sync import CURSOR_PATTERN, MAX_RECORDS

LOCALE_PARAMETER = OpenApiParameter(
    "locale",
    OpenApiTypes.STR,
    enum=content_languages(),
    default=settings.LANGUAGE_CODE,
    description="Content language.",
)
# Errors every endpoint can answer, documented as served: problem+json, not JSON.
PROBLEM_RESPONSES = {
    (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ProblemSerializer,
        description="A query parameter is unknown, given empty, or its value is invalid; "
        "`errors` names each.",
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

    def document(viewset):
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


index_schema = extend_schema(
    summary="Index of the API",
    responses={
        200: inline_serializer(
            "Index",
            {
                "collections": serializers.DictField(child=serializers.URLField()),
                "search": serializers.URLField(),
                "manifest": serializers.URLField(),
                "sync": serializers.URLField(),
                "screening": serializers.URLField(),
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
            },
        ),
        **PROBLEM_RESPONSES,
    },
)

manifest_schema = extend_schema(
    summary="Every published item, one line each",
    description="A manifest for mirroring: type, id, slug, URL, when it last changed and its "
    "version, for every live item in one language, ordered by type and id.",
    parameters=[LOCALE_PARAMETER],
    responses={200: ManifestEntrySerializer(many=True), **PROBLEM_RESPONSES},
)

search_schema = extend_schema(
    summary="Search every collection",
    parameters=[
        OpenApiParameter(
            "q", search_words_schema(), required=True, description=f"Words to find. {SEARCH_RULE}"
        ),
        OpenApiParameter(
            "type",
            comma_separated_schema(collections.TYPE_NAMES),
            description="Item types to search, comma-separated (default: all).",
            **COMMA_SEPARATED,
        ),
        LOCALE_PARAMETER,
        OpenApiParameter(
            "limit",
            LimitOffsetPagination.limit_schema(),
            description="How many hits to return.",
        ),
        OpenApiParameter(
            "offset",
            LimitOffsetPagination.offset_schema(),
            description="How many hits to skip.",
        ),
    ],
    responses={
        200: inline_serializer(
            "SearchResults",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": SearchHitSerializer(many=True),
            },
        ),
        **PROBLEM_RESPONSES,
    },
)

sync_schema = extend_schema(
    summary="Mirror the content: everything first, then only changes",
    description="Call without a cursor, then with each `next_cursor` until `has_more` is "
    "false; keep the last cursor and call with it later for what changed since. Each "
    "record is an item's state now: `upsert` with the item in full, or `delete`.",
    parameters=[
        OpenApiParameter(
            "cursor",
            {"type": "string", "pattern": CURSOR_PATTERN},
            description="`next_cursor` of the previous call, exactly as this API issued it to "
            "the same client (another is a 400). Not with `locale`: the cursor carries the "
            "language of the first call.",
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_RECORDS, "default": MAX_RECORDS},
            description="How many records to return.",
        ),
        OpenApiParameter(
            "locale",
            OpenApiTypes.STR,
            enum=content_languages(),
            default=settings.LANGUAGE_CODE,
            description="Content language, on the first call only: not with `cursor`, which "
            "carries it (both together are a 400).",
        ),
    ],
    responses={
        200: inline_serializer(
            "SyncPage",
            {
                "records": inline_serializer(
                    "SyncRecord",
                    {
                        "action": serializers.ChoiceField(choices=["upsert", "delete"]),
                        "collection": serializers.ChoiceField(choices=collections.NAMES),
                        "id": serializers.IntegerField(),
                        "item": serializers.DictField(
                            allow_null=True,
                            help_text="The item as its collection's detail shows it; "
                            "null for a deletion.",
                        ),
                    },
                    many=True,
                ),
                "next_cursor": serializers.CharField(),
                "has_more": serializers.BooleanField(),
            },
        ),
        **PROBLEM_RESPONSES,
    },
)


preview_schema = extend_schema(
    summary="Preview a draft (with a token from the admin's preview)",
    description="The latest draft of one item, published or not, in exactly the shape of its "
    "collection's detail. The admin's preview makes the token: it names one item and expires "
    "(an hour by default). Related items appear only where they are published. Never cached: "
    "`Cache-Control: no-store`, no validators.",
    parameters=[
        OpenApiParameter(
            "token",
            OpenApiTypes.STR,
            required=True,
            description="The preview token: the admin's preview passes it to the public site's "
            "`/preview/?token=...` page.",
        ),
        OpenApiParameter(
            "fields",
            {"type": "array", "items": {"type": "string"}},
            description="Fields to return, comma-separated, as for the item's detail.",
            **COMMA_SEPARATED,
        ),
        OpenApiParameter(
            "expand",
            {"type": "array", "items": {"type": "string"}},
            description="Relations to embed in full, comma-separated, as for the item's detail.",
            **COMMA_SEPARATED,
        ),
        OpenApiParameter(
            "Cache-Control",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            response=[200],
            description="Always `no-store` (with `private`): a preview is never kept.",
        ),
    ],
    responses={
        200: PolymorphicProxySerializer(
            component_name="PreviewItem",
            serializers=lambda: {
                collection.type_name: collection.serializer
                for collection in collections.COLLECTIONS
            },
            resource_type_field_name="type",
        ),
        **PROBLEM_RESPONSES,
        (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description="The token is not valid or has expired."
        ),
        (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description="The item the token names no longer exists."
        ),
    },
)


class ConstantFieldExtension(OpenApiSerializerFieldExtension):
    """A constant (an item's `type`) as the one value it takes."""

    target_class = ConstantField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": [self.target.value]}


class ExpandableFieldExtension(OpenApiSerializerFieldExtension):
    """A relation as slugs or, expanded, the related items (one, or a list)."""

    target_class = ExpandableField

    def map_serializer_field(self, auto_schema, direction):
        expanded = auto_schema.resolve_serializer(self.target.serializer_class, direction).ref
        one = {"oneOf": [build_basic_type(OpenApiTypes.STR), expanded]}
        if self.target.many:
            return build_array_type(one)
        return {**one, "nullable": True}


class ItemSerializerExtension(OpenApiSerializerExtension):
    """Only `id` and `type` are certain to come: `?fields=` may name fewer fields, and a list
    leaves out a detail's costly fields (an article's body)."""

    target_class = ItemSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "required": ["id", "type"]}


SPANISH = "es"
QUESTIONNAIRE_EXAMPLE_EN = {
    "locale": "en",
    "outcomes": [
        {"value": "urgent", "label": "Urgent: seek help now (the crisis guidance is shown)"},
        {"value": "not_eligible", "label": "Not eligible: ketamine must not be given"},
        {"value": "clinician_review", "label": "A clinician needs to decide"},
        {
            "value": "possible_candidate",
            "label": "Possible candidate: this answer does not stand in the way (a clinician "
            "still decides)",
        },
    ],
    "questions": [
        {
            "id": "pregnancy",
            "title": "Pregnancy",
            "question": "Are you pregnant, or do you think you might be?",
            "kind": "absolute_contraindication",
            "answer_type": "yes_no",
            "required": True,
            "unit": "",
            "options": [
                {"value": "yes", "label": "Yes", "outcome": "not_eligible"},
                {"value": "no", "label": "No", "outcome": "possible_candidate"},
            ],
            "number_ranges": [],
            "unsure": {"value": "unsure", "label": "I'm not sure", "outcome": "clinician_review"},
            "not_answered_outcome": "clinician_review",
            "url": "https://content.example/api/v1/eligibility-rules/pregnancy/",
        }
    ],
    "disclaimer": "This questionnaire is not a diagnosis and not medical advice. Whether "
    "ketamine therapy is right for you is decided by a qualified clinician who assesses you "
    "in full.",
    "crisis_guidance": {
        "locale": "en",
        "heading": "If you are thinking about suicide or harming yourself, get help now",
        "text": "Please do not wait for an appointment.\n\nCall your local emergency number.",
        "paragraphs": [
            "Please do not wait for an appointment.",
            "Call your local emergency number.",
        ],
    },
    "evaluate": "https://content.example/api/v1/screening/evaluate/",
}
QUESTIONNAIRE_EXAMPLE_ES = {
    **QUESTIONNAIRE_EXAMPLE_EN,
    "locale": SPANISH,
    "questions": [
        {
            **QUESTIONNAIRE_EXAMPLE_EN["questions"][0],
            "title": "Embarazo",
            "question": "¿Está embarazada o cree que podría estarlo?",
            "options": [
                {"value": "yes", "label": "Sí", "outcome": "not_eligible"},
                {"value": "no", "label": "No", "outcome": "possible_candidate"},
            ],
            "unsure": {
                "value": "unsure",
                "label": "No estoy seguro",
                "outcome": "clinician_review",
            },
            "url": "https://content.example/api/v1/eligibility-rules/embarazo/?locale=es",
        }
    ],
    "disclaimer": "Este cuestionario no es un diagnóstico ni un consejo médico. Si la terapia "
    "con ketamina es adecuada para usted lo decide un profesional clínico cualificado que le "
    "evalúe por completo.",
    "crisis_guidance": {
        "locale": SPANISH,
        "heading": "Si piensa en el suicidio o en hacerse daño, pida ayuda ahora",
        "text": "No espere a una cita.\n\nLlame al número de emergencias de su zona.",
        "paragraphs": ["No espere a una cita.", "Llame al número de emergencias de su zona."],
    },
}
EVALUATION_EXAMPLE_EN = {
    "locale": "en",
    "outcome": "urgent",
    "results": [
        {
            "id": "suicidal-thoughts",
            "title": "Thoughts of suicide or self-harm",
            "kind": "precaution",
            "answered": "answered",
            "triggered": True,
            "outcome": "urgent",
            "reason": "Whether ketamine is right for you can only be decided by a clinician who "
            "has assessed you directly.",
            "references": [
                {
                    "slug": "source-ketamine-therapy-information",
                    "title": "Ketamine Therapy Information",
                    "url": "https://content.example/api/v1/references/"
                    "source-ketamine-therapy-information/",
                }
            ],
        },
        {
            "id": "pregnancy",
            "title": "Pregnancy",
            "kind": "absolute_contraindication",
            "answered": "answered",
            "triggered": False,
            "outcome": "possible_candidate",
            "reason": "The possible risks of ketamine to an unborn baby have not been fully "
            "established.",
            "references": [],
        },
    ],
    "unanswered": [],
    "crisis_guidance": QUESTIONNAIRE_EXAMPLE_EN["crisis_guidance"],
    "disclaimer": QUESTIONNAIRE_EXAMPLE_EN["disclaimer"],
}
EVALUATION_EXAMPLE_ES = {
    "locale": SPANISH,
    "outcome": "clinician_review",
    "results": [
        {
            "id": "embarazo",
            "title": "Embarazo",
            "kind": "absolute_contraindication",
            "answered": "unsure",
            "triggered": False,
            "outcome": "clinician_review",
            "reason": "No se conocen del todo los posibles riesgos de la ketamina para el bebé.",
            "references": [],
        }
    ],
    "unanswered": [],
    "crisis_guidance": None,
    "disclaimer": QUESTIONNAIRE_EXAMPLE_ES["disclaimer"],
}
SCREENER_UNAVAILABLE = {
    (503, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ProblemSerializer,
        description="No screener guidance (disclaimer, crisis guidance) is published: the "
        "screener never answers without it.",
    ),
    (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ProblemSerializer,
        description="The API key's partner is not licensed for eligibility rules.",
    ),
}

questionnaire_schema = extend_schema(
    summary="The eligibility screener's questionnaire",
    description="Every published eligibility rule as a question, in the order to ask them, "
    "with the answers to offer and, for transparency, the outcome each answer leads to; the "
    "outcomes, most restrictive first; the disclaimer and the crisis guidance, in the "
    "asked-for language. Build the form from it and POST the answers to `evaluate`.",
    parameters=[LOCALE_PARAMETER],
    responses={
        200: ScreenerQuestionnaireSerializer,
        **PROBLEM_RESPONSES,
        **SCREENER_UNAVAILABLE,
    },
    examples=[
        OpenApiExample("English", value=QUESTIONNAIRE_EXAMPLE_EN, response_only=True),
        OpenApiExample("Spanish", value=QUESTIONNAIRE_EXAMPLE_ES, response_only=True),
    ],
)

evaluate_schema = extend_schema(
    summary="Evaluate a person's answers to the screener",
    description="The overall outcome (the most restrictive of all answers: `urgent` beats "
    "everything, and an indication never outweighs a contraindication), each question's "
    "outcome with its reason and references, the required questions left out (the outcome is "
    "then at best `clinician_review`), the crisis guidance when `urgent`, and the disclaimer: "
    'a clinician makes the decision. "unsure" never leads to better than '
    "`clinician_review`. Answers are health data: nothing of the request is stored, logged "
    "or cached. An unknown question id, an answer of the wrong type or an unknown option is "
    "a 400 naming the question (`answers.<id>`).",
    request=ScreenerAnswersSerializer,
    parameters=[
        OpenApiParameter(
            "Cache-Control",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            response=[200],
            description="Always `no-store` (with `private`): an evaluation is never kept.",
        ),
    ],
    responses={
        200: ScreenerEvaluationSerializer,
        **PROBLEM_RESPONSES,
        (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer,
            description="The body is not JSON, a field is unknown, or an answer names an "
            "unknown question, has the wrong type or is not one of the question's options: "
            "`errors` names each (`answers.<question id>`).",
        ),
        (415, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description="The body is not `application/json`."
        ),
        **SCREENER_UNAVAILABLE,
    },
    examples=[
        OpenApiExample(
            "English",
            value={
                "locale": "en",
                "answers": {
                    "suicidal-thoughts": "yes",
                    "pregnancy": "no",
                    "tried-two-or-more-antidepressants": 2,
                    "uncontrolled-high-blood-pressure": "treated-and-controlled",
                },
            },
            request_only=True,
        ),
        OpenApiExample(
            "Spanish",
            value={"locale": SPANISH, "answers": {"embarazo": "unsure"}},
            request_only=True,
        ),
        OpenApiExample("English", value=EVALUATION_EXAMPLE_EN, response_only=True),
        OpenApiExample("Spanish", value=EVALUATION_EXAMPLE_ES, response_only=True),
    ],
)


class ScreenerAnswersExtension(OpenApiSerializerExtension):
    """The screener's request as the evaluation checks it: a content language, and no field
    besides `locale` and `answers` (anything else is a 400)."""

    target_class = ScreenerAnswersSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        # Described as every other content language field is (one `LocaleEnum` component).
        languages = serializers.ChoiceField(
            choices=content_languages(), help_text=self.target.fields["locale"].help_text
        )
        schema["properties"]["locale"] = auto_schema._map_serializer_field(languages, direction)
        return {**schema, "additionalProperties": False}
