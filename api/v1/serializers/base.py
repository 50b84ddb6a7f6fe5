"""What every item of every collection shows, and the fields that make that possible."""

import copy
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import ClassVar

import nh3
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from wagtail.rich_text import expand_db_html

from api.authentication import api_client
from content_models import collections
from content_models.collections import Collection
from content_models.disclaimer import disclaimer
from content_models.enums import Basis, ReviewStatus
from content_models.selectors import live_referenced, live_related, live_related_slugs


def api_url(item, collection: Collection, request=None) -> str:
    """The item's detail address in this API; absolute when there is a request to build on."""
    path = collection.api_path(item.slug, item.locale.language_code)
    return request.build_absolute_uri(path) if request else path


def public_url(item, collection: Collection) -> str | None:
    """The item's page on the public site; None when no site address is configured."""
    return collection.public_url(item.slug, item.locale.language_code)


class ConstantField(serializers.Field):
    """The same value on every item, e.g. `type: "side-effect"`."""

    def __init__(self, value: str, **kwargs):
        self.value = value
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return self.value


# PostgreSQL text cannot hold a NUL character, so no stored rich text contains one: it
# separates the texts of a batch safely.
RICH_TEXT_SEPARATOR = "\x00"

# What the editor's rich-text features (paragraphs, bold, italic, lists, links) produce, and
# nothing else. Rich text written outside the editor (an import, a script, the database)
# cannot bring scripts, event handlers or `javascript:` links to clients, and Wagtail's
# internal attributes (`data-block-key`) never leave the building. Relative addresses stay:
# internal links may resolve to this API's own paths.
RICH_TEXT_TAGS = {"p", "br", "b", "strong", "i", "em", "ol", "ul", "li", "a"}
RICH_TEXT_ATTRIBUTES = {"a": {"href"}}
RICH_TEXT_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_rich_text(html: str) -> str:
    """Rich text reduced to the allow-list above (ammonia, through nh3): a tag outside it
    keeps its text and loses its markup; `script` and `style` lose their content too."""
    return nh3.clean(
        html,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=RICH_TEXT_URL_SCHEMES,
        # Links come out as the editor wrote them; a front end adds `rel` as it sees fit.
        link_rel=None,
    )


@dataclass(frozen=True)
class PendingRichText:
    """A place in a response for the rich text a `RichTextBatch` will expand."""

    index: int


class RichTextBatch:
    """The rich text of a whole response, expanded in one pass and cleaned.

    This is the one place rich text is rendered for API clients: every path (lists, details,
    expansions, article blocks, sync, preview) hands its texts to the response's batch.
    Wagtail resolves the internal links of one HTML string with one query per link type;
    joining every item's text makes that one query per response, however many items (and
    expanded or embedded items) carry links. Each text is then cleaned with the allow-list
    (`clean_rich_text`). A response left with a `PendingRichText` in it cannot be rendered,
    so a path that forgets to expand fails loudly rather than leaking Wagtail's internal
    markup.
    """

    def __init__(self):
        self.texts: list[str] = []

    def add(self, html: str) -> PendingRichText:
        self.texts.append(html)
        return PendingRichText(len(self.texts) - 1)

    def expand_in(self, data):
        """`data` with each pending rich text replaced by its HTML."""
        if not self.texts:
            return data
        expanded = expand_db_html(RICH_TEXT_SEPARATOR.join(self.texts))
        cleaned = [clean_rich_text(text) for text in expanded.split(RICH_TEXT_SEPARATOR)]
        return _replace_pending(data, cleaned, replaced={})


# Values with nothing inside to replace: most of a response, which is walked value by value.
_LEAF_TYPES = frozenset({str, int, float, bool, type(None)})


def _replace_pending(data, expanded: list[str], replaced: dict[int, dict | list]):
    """`data` with its pending rich text replaced. A dict or list that appears in many places
    (an expanded item is serialized once per response, however many items name it: a
    treatment form in each of a hundred side effects) is replaced once, and its copy shared
    the same way; `replaced` holds the copies by the id of what they replace."""
    if type(data) in _LEAF_TYPES:
        return data
    if isinstance(data, PendingRichText):
        return expanded[data.index]
    if id(data) in replaced:
        return replaced[id(data)]

    def replace(value):
        return value if type(value) in _LEAF_TYPES else _replace_pending(value, expanded, replaced)

    if isinstance(data, dict):
        replacement = {key: replace(value) for key, value in data.items()}
    elif isinstance(data, list):
        replacement = [replace(value) for value in data]
    else:
        return data
    replaced[id(data)] = replacement
    return replacement


class RichTextField(serializers.CharField):
    """Rich text as HTML a browser renders: Wagtail's internal link markup resolved, in one
    pass per response by the `RichTextBatch` in the context (every view and sync page has
    one)."""

    def to_representation(self, value):
        return self.context["rich_text"].add(value) if value else ""


class OptionalTextField(serializers.CharField):
    """A text field editors may leave blank: null when it is, so clients test for absence."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class OptionalChoiceField(serializers.ChoiceField):
    """A classification editors may leave empty (no source gives it): null when it is, never
    an empty string, so clients test one way for "not given"."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(value) if value else None


def basis_field(of: str, **kwargs) -> OptionalChoiceField:
    """Where the classification beside it comes from."""
    return OptionalChoiceField(
        Basis.choices,
        help_text=f"Where the {of} comes from: `source` (a cited reference states it) or "
        "`editorial` (the editor's judgement, which no cited reference states; show it as "
        f"such). Null when the {of} is not given.",
        **kwargs,
    )


class ExpandableField(serializers.Field):
    """A relation shown as slugs, or, when named in `?expand=`, as the related items in full
    (as the related collection's serializer shows them).

    Reads the live items through a relation the collections registry declares (its
    prefetched links) or, with `attribute`, a single foreign key.
    """

    def __init__(self, collection: str, *, relation=None, attribute="", **kwargs):
        self.collection = collection
        self.relation, self.attribute = relation, attribute
        self.many = not attribute
        super().__init__(source="*", read_only=True, **kwargs)

    @classmethod
    def of(cls, relation: collections.Relation) -> "ExpandableField":
        """The field of a relation the collections registry declares."""
        return cls(relation.collection, relation=relation)

    @property
    def serializer_class(self):
        return collections.by_name(self.collection).serializer

    def related_items(self, instance):
        if self.attribute:
            return live_referenced(instance, self.attribute)
        return live_related(instance, self.relation)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        # What this field keeps for one response, made where each copy of it (one per
        # serializer, see `ItemSerializer.get_fields`) is bound, so that no copy shares it:
        # the serializer of its expanded items, made on first use, and the items shown.
        self._expanded_serializer = None
        self._expanded_items: dict[object, dict] = {}

    @property
    def expanded_serializer(self):
        # One serializer for every item this field expands in a response: building its
        # fields costs more than using them, so it is done once, not once per parent item.
        # Expanded items show their own relations as slugs: expansion is one level deep.
        if self._expanded_serializer is None:
            self._expanded_serializer = self.serializer_class(
                context={**self.context, "expand": (), "fields": None}
            )
        return self._expanded_serializer

    def to_representation(self, instance):
        if self.field_name not in self.context.get("expand", ()):
            if self.many:
                return live_related_slugs(instance, self.relation)
            item = live_referenced(instance, self.attribute)
            return item.slug if item else None
        items = self.related_items(instance)
        if items is None:
            return None
        if self.many:
            return [self._expanded(item) for item in items]
        return self._expanded(items)

    def _expanded(self, item) -> dict:
        """The related item as its collection's serializer shows it, made once per response:
        the items of a list often name the same few related items (the treatment forms and
        references of side effects), and an item shows the same whichever item names it."""
        representation = self._expanded_items.get(item.pk)
        if representation is None:
            representation = self.expanded_serializer.to_representation(item)
            self._expanded_items[item.pk] = representation
        return representation


class AttributionSerializer(serializers.Serializer):
    """How whoever shows an item must credit it: the licence terms of the reader's key (a
    partner's own), or the default terms for anonymous readers."""

    publisher = serializers.CharField(help_text="Who publishes and holds the copyright.")
    url = serializers.URLField(
        help_text="The item's canonical address: its page on the public site, or else its "
        "address in this API. Link to it when `link_back_required` is true."
    )
    license_url = serializers.URLField(help_text="The licence the content is used under.")
    text = serializers.CharField(help_text="The credit line to show with the item.")
    link_back_required = serializers.BooleanField()
    allowed_modifications = serializers.CharField(
        help_text="What may be changed when republishing."
    )
    last_reviewed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When a medical reviewer last approved the item; null unless its `review_status` "
        "is `reviewed` or `overdue`. Show it with the item.",
    )


# How a date and time is written in every response (settings.REST_FRAMEWORK), for values a
# method builds; made once, not once per item.
DATE_TIME = serializers.DateTimeField()


class ItemSerializer(serializers.ModelSerializer):
    """The fields every item carries; subclasses name their collection (its model is the
    serializer's model) and add their type's own fields in `Meta.fields`. The collection's
    relations, as the registry declares them, are `ExpandableField`s of the same names: list
    them in `Meta.fields` too.

    `?fields=` (in the context as `fields`) keeps only the named fields, plus `id`, `type` and
    `attribution`: whoever shows an item is always told how to credit it.
    """

    collection: Collection | None = None

    # What the collection's list and detail offer besides what every collection's do; the
    # collection's viewset is built from them (`api/v1/endpoints/base.content_viewset`).
    # `?ordering=`: API name -> model field; and the order of a list without it.
    ordering_fields: ClassVar[dict[str, str]] = {}
    ordering: ClassVar[tuple[str, ...]] = ()
    # Fields only a detail carries (too costly to build for every item of a list).
    detail_only_fields: ClassVar[frozenset[str]] = frozenset()
    # The list's own filters: query parameter -> its declaration (`api/v1/filters.py`).
    list_filters: ClassVar[dict[str, Callable]] = {}
    # The JSON-LD page's properties beyond every page's (`api/v1/jsonld.py`).
    jsonld_page: ClassVar[dict] = {}

    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    url = serializers.SerializerMethodField(help_text="This item in the API.")
    html_url = serializers.SerializerMethodField(
        help_text="This item on the public site; null when no site address is configured."
    )
    locale = serializers.CharField(source="locale.language_code", read_only=True)
    first_published_at = serializers.DateTimeField(read_only=True)
    last_published_at = serializers.DateTimeField(read_only=True)
    attribution = serializers.SerializerMethodField(
        help_text="The publisher, licence and credit line to show with the item."
    )

    # Always returned, whatever `?fields=` asks for.
    required_fields = frozenset({"id", "type", "attribution"})
    base_fields = (
        "id",
        "type",
        "slug",
        "title",
        "summary",
        "url",
        "html_url",
        "locale",
        "first_published_at",
        "last_published_at",
        "last_reviewed_at",
        "next_review_due",
        "reviewed_by",
        "references",
        "attribution",
    )

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.collection is not None:
            cls.Meta.model = cls.collection.model
            cls._declared_fields["type"] = ConstantField(cls.collection.type_name)
            for relation in cls.collection.relations:
                cls._declared_fields[relation.name] = ExpandableField.of(relation)

    # Each serializer class's fields as DRF builds them, unbound: see `get_fields`.
    _field_prototypes: ClassVar[dict[type, dict[str, serializers.Field]]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        """DRF's fields of the serializer, less those `?fields=` leaves out.

        DRF builds a model serializer's fields anew for every serializer, reading the model's
        fields each time, and a response makes several; they are built once per class and
        copied, and only the fields the response shows. DRF's own copy of a field calls its
        constructor again; a plain field only reads the item and is then bound (given its
        name and parent) as its own copy, so a shallow copy does. A nested serializer is
        copied in full, as its fields are bound to it.
        """
        prototypes = self._field_prototypes.get(type(self))
        if prototypes is None:
            prototypes = self._field_prototypes[type(self)] = super().get_fields()
        requested = self.context.get("fields")
        keep = {*self.required_fields, *requested} if requested else prototypes.keys()
        return {name: _copy_field(field) for name, field in prototypes.items() if name in keep}

    @cached_property
    def _field_readers(self) -> list[tuple[str, serializers.Field, Callable | None]]:
        """Each field shown, with a direct reader of its value where DRF's own reading would
        come to the same: a path of the model's own columns (or the item itself, for
        `source="*"`), read by a field that keeps DRF's `get_attribute`. None: DRF reads it."""
        model = getattr(self.Meta, "model", None)
        readers = []
        for field in self.fields.values():
            if field.write_only:
                continue
            reader = None
            if type(field).get_attribute is serializers.Field.get_attribute:
                if field.source == "*":
                    reader = _the_item
                elif model is not None and _is_column_path(model, tuple(field.source_attrs)):
                    reader = attrgetter(".".join(field.source_attrs))
            readers.append((field.field_name, field, reader))
        return readers

    def to_representation(self, instance):
        # DRF's `Serializer.to_representation`, with each field's way to its value worked out
        # once per serializer (`_field_readers`) rather than once per field of every item: a
        # response with expansions shows thousands of items. A value the direct reader cannot
        # reach (a null relation on the way, a missing row) is left to DRF, which decides
        # between a default, null and leaving the field out, as it always has.
        ret = {}
        for name, field, reader in self._field_readers:
            try:
                attribute = field.get_attribute(instance) if reader is None else reader(instance)
            except SkipField:
                continue
            except Exception:
                if reader is None:
                    raise
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret

    def build_standard_field(self, field_name, model_field):
        # A text field editors may leave blank comes out as null when it is, in every
        # collection alike, so clients test one way for "not given".
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        is_plain_text = isinstance(model_field, models.CharField | models.TextField)
        if is_plain_text and model_field.blank and not model_field.choices:
            described = {
                key: field_kwargs[key] for key in ("help_text", "label") if key in field_kwargs
            }
            return OptionalTextField, described
        return field_class, field_kwargs

    @classmethod
    def expandable_fields(cls, readable=None) -> list[str]:
        """The relations `?expand=` accepts: those whose collection `readable` allows (all
        when not given)."""
        return [
            name
            for name, field in cls._declared_fields.items()
            if isinstance(field, ExpandableField)
            and (readable is None or readable(field.collection))
        ]

    @classmethod
    def validate_request(
        cls,
        fields: set[str],
        expand: set[str],
        excluded: set[str] = frozenset(),
        readable=None,
    ):
        """A 400 naming any `?fields=` or `?expand=` value this resource does not have (or,
        for `?expand=`, that would embed a collection outside the client's scope)."""
        available = set(cls.Meta.fields) - excluded
        errors = {}
        if unknown := sorted(fields - available):
            errors["fields"] = [
                f"Unknown field {', '.join(unknown)}. Available: {', '.join(sorted(available))}."
            ]
        expandable = set(cls.expandable_fields(readable))
        if unknown := sorted(expand - expandable):
            errors["expand"] = [
                f"Cannot expand {', '.join(unknown)}. Expandable: {', '.join(sorted(expandable))}."
            ]
        if errors:
            raise ValidationError(errors)

    def get_url(self, item) -> str:
        return api_url(item, self.collection, self.context.get("request"))

    def get_html_url(self, item) -> str | None:
        return public_url(item, self.collection)

    @extend_schema_field(AttributionSerializer)
    def get_attribution(self, item) -> dict:
        request = self.context.get("request")
        terms = api_client(request).licence_terms
        # Only a real review's date: not a demo reviewer's, nor one of other text.
        last_reviewed_at = (
            item.last_reviewed_at if getattr(item, "has_real_review", False) else None
        )
        return {
            "publisher": settings.CONTENT_PUBLISHER_NAME,
            "url": public_url(item, self.collection) or api_url(item, self.collection, request),
            "license_url": settings.CONTENT_LICENSE_URL,
            "text": terms.attribution_text,
            "link_back_required": terms.link_back_required,
            "allowed_modifications": terms.allowed_modifications,
            "last_reviewed_at": DATE_TIME.to_representation(last_reviewed_at)
            if last_reviewed_at
            else None,
        }


def _copy_field(field: serializers.Field) -> serializers.Field:
    """An unbound copy of a serializer's field: see `ItemSerializer.get_fields`."""
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)
    return copy.copy(field)


def _the_item(item):
    return item


@functools.cache
def _is_column_path(model: type[models.Model], path: tuple[str, ...]) -> bool:
    """Whether `path` (a field's `source_attrs`) names a column of the model, through foreign
    keys: a plain value DRF would read with `getattr`, never a method it would call. Asked
    for every field of every serializer a response makes; the answer never changes."""
    for position, name in enumerate(path):
        if model is None:
            return False
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not model_field.concrete or model_field.many_to_many:
            return False
        if position < len(path) - 1 and not model_field.many_to_one:
            return False
        model = model_field.related_model
    return bool(path)


class ReviewedItemSerializer(ItemSerializer):
    """An item medical reviewers sign off, with its citations, its review status and the
    "not medical advice" notice.

    The reviewer and review dates are shown only for a real review (`review_status`
    `reviewed` or `overdue`): a front end that prints "Reviewed by ..." from them never names
    a demo placeholder.
    """

    last_reviewed_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a medical reviewer approved this text; null when `review_status` is "
        "`not_reviewed`.",
    )
    next_review_due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="When the text must be reviewed again; null when `review_status` is "
        "`not_reviewed`.",
    )
    reviewed_by = ExpandableField(
        "reviewers",
        attribute="reviewed_by",
        allow_null=True,
        help_text="The medical reviewer who approved this text; null when `review_status` is "
        "`not_reviewed`.",
    )
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        read_only=True,
        help_text="`reviewed`: a medical reviewer approved this text and its next review is not "
        "yet due. `overdue`: approved, but its next review date has passed. `not_reviewed`: no "
        "medical review stands behind this text (never approved, published outside the review, "
        "or demo content): show it as unreviewed.",
    )
    disclaimer = serializers.SerializerMethodField(
        help_text="The 'not medical advice' notice to show with the item, in its language."
    )

    base_fields = (*ItemSerializer.base_fields, "review_status", "disclaimer")
    # Shown only for a real review.
    review_fields = ("reviewed_by", "last_reviewed_at", "next_review_due")

    def get_disclaimer(self, item) -> str:
        return disclaimer(item.locale.language_code)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.has_real_review:
            for name in self.review_fields:
                if name in data:
                    data[name] = None
        return data


class UnreviewedItemSerializer(ItemSerializer):
    """References and reviewers: not medically reviewed themselves, and citing nothing."""

    last_reviewed_at = serializers.SerializerMethodField()
    next_review_due = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    references = serializers.SerializerMethodField()

    def get_last_reviewed_at(self, item) -> datetime.datetime | None:
        return None

    def get_next_review_due(self, item) -> datetime.date | None:
        return None

    def get_reviewed_by(self, item) -> str | None:
        return None

    def get_references(self, item) -> list[str]:
        return []
