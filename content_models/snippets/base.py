"""What every piece of content shares: publishing, revisions, locking, workflow, preview,
translation, a slug per language, medical review dates and ordered citations."""

from collections.abc import Callable
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.admin.widgets.slug import SlugInput
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.rich_text import RichText
from wagtail.search import index

from .. import review
from ..enums import Basis, ReviewStatus
from ..preview import HeadlessPreviewMixin
from ..review_log import log_review_withdrawn


def errors_from(check: Callable[[], None]) -> dict[str, list]:
    """Run an inherited clean() and return its errors instead of raising them, so that an
    editor sees every rule an item breaks at once, not one per save."""
    try:
        check()
    except ValidationError as error:
        return error.update_error_dict({})
    return {}


# Bookkeeping fields of Wagtail's mixins: not content, so not in the preview.
WAGTAIL_FIELD_NAMES = {
    "id",
    "slug",
    "translation_key",
    "locale",
    *(
        field.name
        for mixin in (DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin)
        for field in mixin._meta.fields
    ),
    "last_reviewed_at",
    "next_review_due",
    "reviewed_revision",
}

# What `selectors.live_items` filters on (published, not expired, one language). The API's
# searches search that queryset, and the search backend refuses to filter on a field that
# `search_fields` does not declare as a FilterField. The database backends filter the table
# itself, so these declarations need no `update_index`.
LIVE_FILTER_FIELDS = [
    index.FilterField("live"),
    index.FilterField("expire_at"),
    index.FilterField("locale"),
]

SLUG_HELP_TEXT = (
    "The last part of the item's web address, e.g. 'nasal-spray'. Filled in from the title "
    "above; change it only before the item is first published, as partners link to it."
)


def title_panel(field_name: str) -> TitleFieldPanel:
    """The panel of the field that names an item, which fills in its slug. Required even for
    a draft (Wagtail lets drafts leave text fields blank): without it the editor would see
    only "This field is required" on the slug, a field they never typed in."""
    return TitleFieldPanel(field_name, required_on_save=True)


class DraftsSurviveDeletedLinks:
    """Opening a revision drops its inline links to items deleted since.

    A citation or treatment-form link protects its target only while it is saved on the live
    item (`on_delete=PROTECT`); a draft's links live in its revision, so their target can be
    deleted meanwhile. django-modelcluster cannot rebuild a revision with such a dangling
    PROTECT link and raises, so the editor could no longer open the draft, nor a front end
    preview it. The draft opens without the link, as it would after a cascade.
    """

    @classmethod
    def from_serializable_data(cls, data, check_fks=True, strict_fks=False):
        if check_fks:
            data = without_links_to_deleted_items(cls, data)
        return super().from_serializable_data(data, check_fks, strict_fks)


def without_links_to_deleted_items(model, data: dict) -> dict:
    """`data` (a revision's content) without the inline rows whose protected target is gone:
    one query per protected foreign key of each inline relation."""
    data = dict(data)
    for relation in get_all_child_relations(model):
        name = relation.get_accessor_name()
        protected_keys = [
            field
            for field in relation.related_model._meta.concrete_fields
            if field.many_to_one and field.remote_field.on_delete is models.PROTECT
        ]
        for field in protected_keys:
            rows = data.get(name) or []
            existing = set(
                field.related_model._default_manager.filter(
                    pk__in={row.get(field.name) for row in rows}
                ).values_list("pk", flat=True)
            )
            data[name] = [row for row in rows if row.get(field.name) in existing]
    return data


# What counting the live items of a language reads (every list's `count`, the manifest's):
# this index alone, not every row with its text, so that a count costs little even at
# 100,000 items.
LIVE_ITEMS_COUNT_INDEX = models.Index(
    fields=["locale", "expire_at"], condition=Q(live=True), name="%(class)s_live_locale"
)


def live_item_indexes(ordering: list[str]) -> list[models.Index]:
    """A listed type's indexes (its `Meta.indexes`, from its `Meta.ordering`, which is its
    API list's default order too): the count's, and the one a list reads in that order, so
    that a list's first page walks 20 entries of an index rather than sorting every live
    item: it costs as little at 100,000 items as at 1,000."""
    return [
        LIVE_ITEMS_COUNT_INDEX,
        models.Index(fields=[*ordering, "id"], condition=Q(live=True), name="%(class)s_list_order"),
    ]


class PublishableSnippet(
    DraftsSurviveDeletedLinks,
    HeadlessPreviewMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A snippet editors draft, send through review, publish, preview and translate.

    Wagtail's documented mixin order; `ClusterableModel` keeps inline rows (process steps,
    citations) in each revision, so a draft change to them never reaches the live item.
    `HeadlessPreviewMixin` first: its preview shows the public site, where there is one.
    """

    slug = models.SlugField(max_length=100, help_text=SLUG_HELP_TEXT)

    slug_panel: ClassVar = FieldPanel("slug", widget=SlugInput)

    class Meta(TranslatableMixin.Meta):
        abstract = True
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="%(app_label)s_%(class)s_unique_slug_per_locale"
            ),
        ]
        indexes: ClassVar = [LIVE_ITEMS_COUNT_INDEX]

    def clean(self):
        errors = errors_from(super().clean)
        # The database constraint backs this up, but the admin form cannot check it itself
        # because `locale` is not a form field: without this check a clash would be a 500.
        if self.slug and self.locale_id is not None:
            clash = type(self).objects.filter(locale_id=self.locale_id, slug=self.slug)
            if clash.exclude(pk=self.pk).exists():
                errors.setdefault("slug", []).append(
                    f"Another {self._meta.verbose_name} in this language already uses the "
                    f"address '{self.slug}'. Choose a different one."
                )
        if errors:
            raise ValidationError(errors)

    def get_preview_template(self, request, mode_name):
        return "content_models/preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["fields"] = list(self.preview_fields())
        return context

    def preview_fields(self):
        """(label, value) of each filled-in field the editor wrote, and of its links: the
        preview of content that has no site of its own."""
        for field in self._meta.concrete_fields:
            if field.name in WAGTAIL_FIELD_NAMES or field.is_relation:
                continue
            value = getattr(self, field.name)
            if value in (None, "") or (isinstance(field, StreamField) and not value):
                continue
            if isinstance(field, RichTextField):
                value = RichText(value)
            elif isinstance(field, StreamField):
                value = value.render_as_block()
            elif field.choices:
                value = dict(field.flatchoices).get(value, value)
            elif isinstance(value, bool):
                value = "Yes" if value else "No"
            yield field.verbose_name, value
        for relation in ("treatment_form_links", "reference_links"):
            if hasattr(self, relation):
                links = getattr(self, relation).all()
                label = "treatment forms" if relation == "treatment_form_links" else "references"
                yield label, ", ".join(str(link) for link in links) or "None yet"


class MedicallyReviewed(models.Model):
    """Who last reviewed a piece of clinical content, when, and when it is due again.

    Only an approval in the "Medical review" workflow sets these fields
    (`review_task.record_medical_review`), on the revision it publishes, which it names in
    `reviewed_revision`; editors see them read-only. A publish of any other revision (an
    administrator's "Publish" outside the workflow) withdraws them as it saves (`save`), so the
    public never reads an earlier reviewer's name and date over text they did not review.
    """

    reviewed_by = models.ForeignKey(
        "content_models.MedicalReviewer",
        null=True,
        blank=True,
        # A reviewer who signed off published content cannot be deleted from under it.
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The clinician who approved this text in the Medical review workflow. Set "
        "by their approval; a publish outside the workflow clears it.",
    )
    last_reviewed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the clinician approved this text in the Medical review workflow.",
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When the content must be checked again: a year after each approval.",
    )
    reviewed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        editable=False,
        # Wagtail keeps the live revision; should it go, the review can no longer be tied to
        # the text it approved, and the next publish withdraws it.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision the reviewer approved: the review stands for that text only.",
    )

    review_panels: ClassVar = [
        MultiFieldPanel(
            [
                FieldPanel("reviewed_by", read_only=True),
                FieldPanel("last_reviewed_at", read_only=True),
                FieldPanel("next_review_due", read_only=True),
            ],
            heading="Medical review",
            help_text="Recorded by a medical reviewer's approval in the Medical review "
            "workflow. Publishing outside the workflow marks the item as not reviewed.",
        )
    ]
    # A copy (a translation, or the admin's "Copy") is new text that no one has reviewed yet.
    exclude_fields_in_copy: ClassVar = [
        "reviewed_by",
        "last_reviewed_at",
        "next_review_due",
        "reviewed_revision",
    ]
    # The admin lists filter by these; a list that is also searched filters in the search index.
    # (The review status filter picks items by id: whether a reviewer is a demo is another
    # table's field, which the search index cannot filter on.)
    review_search_fields: ClassVar = [
        index.FilterField("id"),
        index.FilterField("reviewed_by"),
        index.FilterField("next_review_due"),
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Publishing saves the item in full with `live_revision` set to the revision going
        # live. Unless the workflow's approval recorded its review on that very revision,
        # the review fields it carries are an earlier review of other text: withdraw them.
        # (A partial save is Wagtail's bookkeeping of drafts and locks; an item with no live
        # revision was never published through Wagtail, e.g. made in code.)
        withdrawn = (
            kwargs.get("update_fields") is None
            and self.live
            and self.live_revision_id is not None
            and self.has_review_fields()
            and not self.review_applies_to(self.live_revision_id)
        )
        if withdrawn:
            self.withdraw_review()
        super().save(*args, **kwargs)
        if withdrawn:
            log_review_withdrawn(self)

    @property
    def review_status(self) -> ReviewStatus:
        """`reviewed`, `overdue` or `not_reviewed` (see `review.py`)."""
        return review.status_of(self)

    @property
    def has_real_review(self) -> bool:
        """A real reviewer's review is recorded: the API and JSON-LD may name it."""
        return review.has_real_review(self)

    def review_applies_to(self, revision_id: int | None) -> bool:
        """Whether the recorded review is an approval of the revision `revision_id`."""
        return self.reviewed_revision_id is not None and self.reviewed_revision_id == revision_id

    def withdraw_review(self) -> None:
        """Forget the recorded review: the text it approved is not the text being shown."""
        self.reviewed_by = None
        self.last_reviewed_at = None
        self.next_review_due = None
        self.reviewed_revision = None

    def has_review_fields(self) -> bool:
        return any(
            value is not None
            for value in (
                self.reviewed_by_id,
                self.last_reviewed_at,
                self.next_review_due,
                self.reviewed_revision_id,
            )
        )

    def clean(self):
        errors = errors_from(super().clean)
        for field, message in self.review_problems():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def review_problems(self):
        reviewed_at = self.last_reviewed_at
        if reviewed_at and not self.reviewed_by_id:
            yield "reviewed_by", "Say who carried out the review dated in 'Last reviewed'."
        if self.reviewed_by_id and not reviewed_at:
            yield "last_reviewed_at", "Give the date of this reviewer's review."
        if reviewed_at and reviewed_at > timezone.now():
            yield "last_reviewed_at", "A review cannot be dated in the future."
        due = self.next_review_due
        if reviewed_at and due and due <= timezone.localdate(reviewed_at):
            yield "next_review_due", "The next review must be due after the last review."


BASIS_HELP_TEXT = (
    "Where the value beside this comes from. Choose 'Stated in a cited source' only when one "
    "of this item's references says it in so many words. Choose 'Editor's judgement' when no "
    "cited source says it: readers are told so, and a clinician must agree with it. Leave "
    "this empty when the value is empty."
)


def basis_field(of: str) -> models.CharField:
    """Where one classification of an item comes from: a cited source or the editor."""
    return models.CharField(
        max_length=20,
        choices=Basis.choices,
        blank=True,
        verbose_name=f"basis of the {of}",
        help_text=BASIS_HELP_TEXT,
    )


def basis_problems(item, values: dict[str, tuple[bool, str]]):
    """(field, message) for each basis that does not match its value: a value must say where
    it comes from, and an empty value has no basis. `values` maps each basis field to whether
    its value is given and what the value is called."""
    for basis_name, (value_given, value_name) in values.items():
        basis = getattr(item, basis_name)
        if value_given and not basis:
            yield (
                basis_name,
                f"Say where the {value_name} comes from: a cited source, or the editor's "
                "judgement.",
            )
        elif basis and not value_given:
            yield basis_name, f"Leave this empty while the {value_name} is empty."


class ReferenceLink(Orderable):
    """One citation of a reference, in the order the editor lists them."""

    def __str__(self):
        return str(self.reference)

    reference = models.ForeignKey(
        "content_models.Reference",
        # A reference that content cites cannot be deleted: every claim stays traceable.
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels: ClassVar = [FieldPanel("reference")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "citation"  # how the usage view names the field that cites a reference


class TreatmentFormLink(Orderable):
    """A treatment form that a side effect, rule or condition applies to.

    Each subclass names its reverse relation (e.g. `treatment_form.side_effect_links`) so a
    treatment form's side effects, rules and conditions can be prefetched in one query each.
    """

    treatment_form: models.ForeignKey

    panels: ClassVar = [FieldPanel("treatment_form")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "applies to"

    def __str__(self):
        return str(self.treatment_form)
