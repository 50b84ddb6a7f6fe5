"""Writes that carry rules: recording content changes, loading the demo content."""

import datetime
import uuid
from collections.abc import Callable
from pathlib import Path

import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.models import Locale, Page, Site
from wagtail.snippets.blocks import SnippetChooserBlock

from .enums import ChangeAction
from .models import (
    FAQ,
    ArticleIndexPage,
    ArticlePage,
    Condition,
    ContentChange,
    ContentGeneration,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
    TreatmentProcessStep,
)
from .selectors import next_expiry
from .snippets.base import MedicallyReviewed

DEMO_CONTENT_FILE = Path(__file__).parent / "demo_content" / "demo_content.yaml"

# In load order: everything an entry points to by slug is loaded before it.
SECTIONS: dict[str, type[models.Model]] = {
    "reviewers": MedicalReviewer,
    "references": Reference,
    "treatment_forms": TreatmentForm,
    "side_effects": SideEffect,
    "eligibility_rules": EligibilityRule,
    "conditions": Condition,
    "faqs": FAQ,
    "articles": ArticlePage,
}


@transaction.atomic
def record_content_change() -> None:
    """Give the content a new generation, as part of the caller's transaction.

    The row is locked before the next expiry is read, so the read sees every change that
    committed before this one, and no concurrent change can overwrite it with an older value.
    """
    generation = ContentGeneration.objects.select_for_update().get(pk=1)
    generation.token = uuid.uuid4()
    generation.changed_at = timezone.now()
    generation.next_expiry = next_expiry()
    generation.save()


PUBLIC_ACTIONS = (ChangeAction.PUBLISHED, ChangeAction.UPDATED)


@transaction.atomic
def record_public_change(item, action: ChangeAction) -> ContentChange | None:
    """Log a change partners must hear about, as part of the caller's transaction (or of its
    own, where Wagtail publishes outside one: the lock and the log entry are never apart).

    Publishing an item that is already public is an update. Unpublishing is logged only for
    an item that is public, and deleting only for one that was ever logged: partners never
    hear of drafts. Returns the change logged, or None.
    """
    # First, so the generation row's lock orders this change after every uncommitted one.
    record_content_change()
    content_type = ContentType.objects.get_for_model(item)
    last_action = (
        ContentChange.objects.filter(content_type=content_type, object_id=item.pk)
        .order_by("-id")
        .values_list("action", flat=True)
        .first()
    )
    was_public = last_action in PUBLIC_ACTIONS
    if action == ChangeAction.PUBLISHED and was_public:
        action = ChangeAction.UPDATED
    if (action == ChangeAction.UNPUBLISHED and not was_public) or (
        action == ChangeAction.DELETED and last_action in (None, ChangeAction.DELETED)
    ):
        return None
    return ContentChange.objects.create(
        content_type=content_type,
        object_id=item.pk,
        slug=item.slug,
        language_code=item.locale.language_code,
        action=action,
        occurred_at=timezone.now(),
    )


# How long a medical review stands when nobody has set the next one.
REVIEW_INTERVAL = datetime.timedelta(days=365)


def record_medical_review(revision, user) -> None:
    """Stamp a revision, about to be published, with the reviewer who approved it and when.

    Does nothing for content that is not medically reviewed, or when the approving account is
    not linked to a published medical reviewer (an administrator stepping in): then the
    review fields stay as the editor set them.
    """
    reviewer = MedicalReviewer.objects.filter(user=user, live=True).first()
    if reviewer is None or not issubclass(revision.content_type.model_class(), MedicallyReviewed):
        return
    now = timezone.now()
    revision.content["reviewed_by"] = reviewer.pk
    revision.content["last_reviewed_at"] = now.isoformat()
    due = revision.content.get("next_review_due")
    if not due or datetime.date.fromisoformat(due) <= now.date():
        revision.content["next_review_due"] = (now.date() + REVIEW_INTERVAL).isoformat()
    revision.save(update_fields=["content"])


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
    created = {}
    with transaction.atomic():
        loader = _DemoContentLoader(path)
        for section, model in SECTIONS.items():
            entries = data.get(section) or []
            created[section] = sum(
                loader.load_entry(section, model, index, entry)
                for index, entry in enumerate(entries)
            )
            progress(
                f"{capfirst(model._meta.verbose_name_plural)}: {created[section]} created, "
                f"{len(entries) - created[section]} already present."
            )
    return created


def _read_data_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DemoContentError(f"{path}: cannot be read ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise DemoContentError(f"{path}: is not valid YAML: {error}") from error
    if not isinstance(data, dict) or set(data) - set(SECTIONS):
        raise DemoContentError(
            f"{path}: must be a mapping whose keys are among {', '.join(SECTIONS)}."
        )
    return data


class _DemoContentLoader:
    def __init__(self, path: Path):
        self.path = path
        self.locale = Locale.get_default()

    def load_entry(self, section: str, model: type[models.Model], index: int, entry) -> bool:
        """Create and publish one entry; False if it is already there."""
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
        item.full_clean()
        item.save()
        item.save_revision().publish()

    def _create_article(self, entry):
        page = ArticlePage(locale=self.locale, live=False, **self._field_values(ArticlePage, entry))
        self._article_index().add_child(instance=page)
        page.save_revision().publish()

    def _field_values(self, model, entry) -> dict:
        """Model field values for an entry, with slugs resolved to the items they name."""
        values = {}
        for key, value in entry.items():
            if key == "references":
                values["reference_links"] = self._links(model, "reference_links", Reference, value)
            elif key == "treatment_forms":
                values["treatment_form_links"] = self._links(
                    model, "treatment_form_links", TreatmentForm, value
                )
            elif key == "process_steps":
                values["process_steps"] = [
                    TreatmentProcessStep(sort_order=position, **step)
                    for position, step in enumerate(value)
                ]
            elif key == "reviewed_by":
                values["reviewed_by"] = self._find(MedicalReviewer, value)
            elif key == "answer_options":
                values["answer_options"] = [{"type": "option", "value": option} for option in value]
            elif key == "body":
                body_block = model._meta.get_field("body").stream_block
                values["body"] = [
                    {
                        "type": block["type"],
                        "value": self._resolve_slugs(
                            body_block.child_blocks[block["type"]], block["value"]
                        ),
                    }
                    for block in value
                ]
            else:
                values[key] = self._field_value(model, key, value)
        return values

    def _field_value(self, model, key, value):
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist as error:
            raise DemoContentError(f"unknown field '{key}'.") from error
        if isinstance(field, models.DateTimeField) and type(value) is datetime.date:
            # The data file gives review dates as days; store them as that day's start, UTC.
            value = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
        return value

    def _links(self, model, relation: str, target: type[models.Model], slugs) -> list:
        try:
            link_model = model._meta.get_field(relation).related_model
        except FieldDoesNotExist as error:
            raise DemoContentError(f"a {model._meta.verbose_name} has no '{relation}'.") from error
        field_name = "reference" if target is Reference else "treatment_form"
        # Inline rows keep the file's order, as the editor's drag-and-drop order would.
        return [
            link_model(sort_order=position, **{field_name: self._find(target, slug)})
            for position, slug in enumerate(slugs)
        ]

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


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
