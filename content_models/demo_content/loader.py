"""Loading the demo content: each entry of the data file created, checked as the admin would
check it, and published, in the order the entries point to each other."""

import datetime
from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path

import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site
from wagtail.snippets.blocks import SnippetChooserBlock

from .. import collections, publication
from ..collections import Collection, Relation
from ..models import ArticleIndexPage, ArticlePage, MedicalReviewer, ScreeningGuidance
from ..snippets.base import MedicallyReviewed, errors_from

DEMO_CONTENT_FILE = Path(__file__).parent / "demo_content.yaml"
# Sections of content that is no collection of its own (`collections.SUPPORTING_MODELS`),
# loaded after the collections.
SUPPORTING_SECTIONS = {"screening_guidance": ScreeningGuidance}
# libyaml's parser when PyYAML was built with it: the same data, parsed ten times faster than
# by the pure-Python one (its error messages give the line and column, without the excerpt).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Only a medical reviewer's approval in the workflow records a review (`review_task.py`): the
# data file cannot claim one, so demo content reads "not reviewed" until a reviewer approves it.
REVIEW_FIELDS = frozenset(MedicallyReviewed.exclude_fields_in_copy)
REVIEW_FIELD_MESSAGE = (
    "'{key}' cannot be given: a review is recorded only when a medical reviewer approves the "
    "item in the Medical review workflow."
)

NO_REFERENCE_MESSAGE = (
    "List at least one reference: every clinical statement must be traceable to its source."
)


class DemoContentError(Exception):
    """The data file cannot be loaded; the message names the file and the entry."""


def load_demo_content(
    path: Path = DEMO_CONTENT_FILE, *, progress: Callable[[str], None] = lambda message: None
) -> dict[str, int]:
    """Publish every entry of the demo data file that is not already there.

    Entries are matched by slug in the default language, so a second run creates nothing and
    never overwrites an editor's changes. All or nothing: any bad entry rolls back the load.
    Returns how many items each section created.
    """
    data = _read_data_file(path)
    # Snippet choosers in a StreamField validate through the snippets' admin viewsets, which
    # Wagtail registers as it loads the admin's URLs: a management command has not loaded them.
    import_module("wagtail.admin.urls")
    created = {}
    # One transaction (all or nothing) that renews the content generation once.
    with publication.atomic():
        loader = _DemoContentLoader(path)
        for collection in load_order():
            section = collection.demo_section
            entries = data.get(section) or []
            created[section] = sum(
                loader.load_entry(collection, index, entry) for index, entry in enumerate(entries)
            )
            progress(
                f"{capfirst(collection.model._meta.verbose_name_plural)}: {created[section]} "
                f"created, {len(entries) - created[section]} already present."
            )
        for section, model in SUPPORTING_SECTIONS.items():
            entries = data.get(section) or []
            created[section] = sum(
                loader.load_entry_of(model, section, index, entry)
                for index, entry in enumerate(entries)
            )
            progress(
                f"{capfirst(model._meta.verbose_name_plural)}: {created[section]} created, "
                f"{len(entries) - created[section]} already present."
            )
    return created


def load_order() -> list[Collection]:
    """Every collection, each after the collections its entries point to by slug (its
    reviewer, the items it links to, the items its body embeds): depth first, in the
    registry's order."""
    ordered: list[Collection] = []

    def visit(collection: Collection) -> None:
        if collection not in ordered:
            for dependency in _points_to(collection):
                visit(dependency)
            ordered.append(collection)

    for collection in collections.COLLECTIONS:
        visit(collection)
    return ordered


def _points_to(collection: Collection) -> list[Collection]:
    """The collections whose items an entry of `collection` names by slug."""
    models_named = []
    if collection.is_medically_reviewed:
        models_named.append(MedicalReviewer)
    models_named += [
        collections.related(relation).model
        for relation in collection.relations
        if collection.owns(relation)
    ]
    for field in collection.model._meta.concrete_fields:
        if isinstance(field, StreamField):
            models_named += _embedded_models(field.stream_block)
        elif _names_an_item(field):
            models_named.append(field.related_model)
    return [collections.for_model(model) for model in dict.fromkeys(models_named)]


def _embedded_models(block) -> list:
    """The snippet models a block (and the blocks inside it) lets an editor choose."""
    if isinstance(block, SnippetChooserBlock):
        return [block.target_model]
    if isinstance(block, blocks.ListBlock):
        return _embedded_models(block.child_block)
    if isinstance(block, blocks.StructBlock | blocks.StreamBlock):
        return [model for child in block.child_blocks.values() for model in _embedded_models(child)]
    return []


def _read_data_file(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except OSError as error:
        raise DemoContentError(f"{path}: cannot be read ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise DemoContentError(f"{path}: is not valid YAML: {error}") from error
    sections = [collection.demo_section for collection in load_order()] + list(SUPPORTING_SECTIONS)
    if not isinstance(data, dict) or set(data) - set(sections):
        raise DemoContentError(
            f"{path}: must be a mapping whose keys are among {', '.join(sections)}."
        )
    return data


class _DemoContentLoader:
    def __init__(self, path: Path):
        self.path = path
        self.locale = Locale.get_default()

    def load_entry(self, collection: Collection, index: int, entry) -> bool:
        """Create and publish one entry; False if it is already there."""
        return self.load_entry_of(collection.model, collection.demo_section, index, entry)

    def load_entry_of(self, model, section: str, index: int, entry) -> bool:
        """Create and publish one entry of a section; False if it is already there."""
        label = f"{self.path.name}: {section}[{index}]"
        if not isinstance(entry, dict) or not entry.get("slug"):
            raise DemoContentError(f"{label}: each entry must be a mapping with a 'slug'.")
        label = f"{label} '{entry['slug']}'"
        if model.objects.filter(slug=entry["slug"], locale=self.locale).exists():
            return False
        try:
            if model is ArticlePage:
                self._create_article(entry)
            else:
                self._create_snippet(model, entry)
        except (ValidationError, DemoContentError, ValueError, TypeError) as error:
            raise DemoContentError(f"{label}: {_describe(error)}") from error
        return True

    def _create_snippet(self, model, entry):
        item = model(locale=self.locale, live=False, **self._field_values(model, entry))
        errors = errors_from(item.full_clean)
        for key, messages in _problems_outside_full_clean(item).items():
            errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        item.save()
        item.save_revision().publish()

    def _create_article(self, entry):
        page = ArticlePage(locale=self.locale, live=False, **self._field_values(ArticlePage, entry))
        # Its own fields are checked as it is saved into the tree (Wagtail's save runs
        # full_clean, whose slug check needs the parent page); the rest is checked now.
        errors = _problems_outside_full_clean(page)
        if errors:
            raise ValidationError(errors)
        self._article_index().add_child(instance=page)
        page.save_revision().publish()

    def _field_values(self, model, entry) -> dict:
        """Model field values for an entry, with slugs resolved to the items they name."""
        collection = collections.for_model(model)
        links = {
            relation.name: relation
            for relation in (collection.relations if collection else ())
            if collection.owns(relation)
        }
        values = {}
        for key, value in entry.items():
            if key in REVIEW_FIELDS and issubclass(model, MedicallyReviewed):
                raise DemoContentError(REVIEW_FIELD_MESSAGE.format(key=key))
            field = _model_field(model, key, links)
            if key in links:
                values[field.name] = self._links(field.related_model, links[key].target, value)
            elif key == "process_steps":
                values[key] = [
                    field.related_model(sort_order=position, **step)
                    for position, step in enumerate(value)
                ]
            elif _names_an_item(field):
                # A single link (the reference a regulatory statement cites), named by slug.
                values[key] = self._find(field.related_model, value)
            elif key == "body":
                values[key] = [
                    self._stream_child(field.stream_block, position, block)
                    for position, block in enumerate(value)
                ]
            elif isinstance(field, StreamField):
                # A list of one kind of block (a rule's answer options or number ranges):
                # the file gives each block's value.
                (block_type,) = field.stream_block.child_blocks
                values[key] = [{"type": block_type, "value": item} for item in value]
            elif isinstance(field, models.DateTimeField) and type(value) is datetime.date:
                # A date-time given as a day (e.g. an expiry date) is that day's start, UTC.
                values[key] = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
            else:
                values[key] = value
        return values

    def _links(self, link_model, row_field: str, slugs) -> list:
        target = link_model._meta.get_field(row_field).related_model
        # Inline rows keep the file's order, as the editor's drag-and-drop order would.
        return [
            link_model(sort_order=position, **{row_field: self._find(target, slug)})
            for position, slug in enumerate(slugs)
        ]

    def _stream_child(self, stream_block, position: int, block) -> dict:
        """One block of a body as Wagtail stores it: its type, and its value with slugs resolved."""
        if not isinstance(block, dict) or set(block) != {"type", "value"}:
            raise DemoContentError(f"body[{position}]: a block must have a 'type' and a 'value'.")
        if block["type"] not in stream_block.child_blocks:
            raise DemoContentError(
                f"body[{position}]: unknown block type '{block['type']}' "
                f"(the types are {', '.join(stream_block.child_blocks)})."
            )
        child_block = stream_block.child_blocks[block["type"]]
        return {"type": block["type"], "value": self._resolve_slugs(child_block, block["value"])}

    def _find(self, model, slug):
        try:
            return model.objects.get(slug=slug, locale=self.locale)
        except model.DoesNotExist as error:
            raise DemoContentError(
                f"no {model._meta.verbose_name} with slug '{slug}' "
                "(it must be defined earlier in the file)."
            ) from error

    def _resolve_slugs(self, block, value):
        """Swap the slugs in a block's raw value for the ids Wagtail stores."""
        if isinstance(block, SnippetChooserBlock):
            return self._find(block.target_model, value).pk
        if isinstance(block, blocks.ListBlock):
            return [self._resolve_slugs(block.child_block, item) for item in value]
        if isinstance(block, blocks.StructBlock):
            unknown = set(value) - set(block.child_blocks)
            if unknown:
                raise DemoContentError(f"unknown block fields {sorted(unknown)}.")
            return {
                name: self._resolve_slugs(block.child_blocks[name], item)
                for name, item in value.items()
            }
        return value

    def _article_index(self) -> ArticleIndexPage:
        """The section articles live under, created (and made the site's root) on first use."""
        article_index = ArticleIndexPage.objects.filter(locale=self.locale).first()
        if article_index is None:
            article_index = ArticleIndexPage(
                title="Patient information", slug="patient-information", locale=self.locale
            )
            Page.get_first_root_node().add_child(instance=article_index)
            article_index.save_revision().publish()
            site = Site.objects.get(is_default_site=True)
            site.root_page = article_index
            site.save()  # save(), not update(): it clears Wagtail's cached site root paths
        return article_index


def _names_an_item(field) -> bool:
    """Whether a field is a foreign key to an item of a collection, which an entry names by
    slug."""
    return (
        isinstance(field, models.ForeignKey)
        and not isinstance(field, ParentalKey)
        and collections.for_model(field.related_model) is not None
    )


def _model_field(model, key: str, links: dict[str, Relation]):
    """The field, or inline relation, that a key of an entry fills."""
    name = links[key].link if key in links else key
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise DemoContentError(f"unknown field '{key}'.") from error


def _problems_outside_full_clean(item) -> dict[str, list]:
    """What the admin's form would refuse but an item's full_clean() does not check: its inline
    rows, the contents of its StreamFields, and clinical content that cites no reference."""
    problems = {}
    # The data file's key for each inline relation, to name a broken row as the file does.
    collection = collections.for_model(type(item))
    data_file_keys = {
        relation.link: relation.name for relation in (collection.relations if collection else ())
    }
    for relation in get_all_child_relations(type(item)):
        accessor = relation.get_accessor_name()
        key = data_file_keys.get(accessor, accessor)
        for position, row in enumerate(getattr(item, accessor).all()):
            # The row's parent is not saved yet, so its key to the parent cannot be checked.
            row_errors = errors_from(partial(row.full_clean, exclude=[relation.field.name]))
            for field, messages in row_errors.items():
                problems[f"{key}[{position}].{field}"] = messages
    for field in item._meta.concrete_fields:
        if isinstance(field, StreamField):
            try:
                field.stream_block.clean(getattr(item, field.name))
            except ValidationError as error:
                problems.update(_block_messages(error, field.name))
    if isinstance(item, MedicallyReviewed) and not item.reference_links.all():
        problems["references"] = [NO_REFERENCE_MESSAGE]
    return problems


def _block_messages(error: ValidationError, path: str) -> dict[str, list[str]]:
    """A StreamField's validation messages, each under the path of the block it is about (e.g.
    'body[3].text'): Wagtail nests them block by block under one "Validation error in
    StreamBlock"."""
    if not hasattr(error, "block_errors"):
        return {path: error.messages}
    messages = {}
    if error.non_block_errors:
        messages[path] = [
            message
            for block_error in error.non_block_errors.as_data()
            for message in block_error.messages
        ]
    for key, block_error in error.block_errors.items():
        child_path = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"
        messages.update(_block_messages(block_error, child_path))
    return messages


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
