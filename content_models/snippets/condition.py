from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.search import index

from ..enums import EvidenceStrength
from .base import (
    LIVE_FILTER_FIELDS,
    MedicallyReviewed,
    PublishableSnippet,
    ReferenceLink,
    TreatmentFormLink,
    basis_field,
    basis_problems,
    errors_from,
    live_item_indexes,
    title_panel,
)


class Condition(MedicallyReviewed, PublishableSnippet):
    """A condition ketamine therapy is used for, and how strong the evidence for it is."""

    name = models.CharField(max_length=200, help_text="e.g. 'Treatment-resistant depression'.")
    aliases = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other names and abbreviations patients search for, separated by commas, "
        "e.g. 'TRD, hard-to-treat depression'.",
    )
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    description = RichTextField(
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text="The full explanation patients read: what the condition is and what the "
        "cited studies show about ketamine for it, in plain words.",
    )
    evidence_strength = models.CharField(
        max_length=20,
        choices=EvidenceStrength.choices,
        blank=True,
        help_text="How well the cited studies support ketamine for this condition. Leave it "
        "empty unless a cited source grades the evidence or a clinician has judged it.",
    )
    evidence_strength_basis = basis_field("strength of evidence")

    panels: ClassVar = [
        title_panel("name"),
        PublishableSnippet.slug_panel,
        FieldPanel("aliases"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("evidence_strength"), FieldPanel("evidence_strength_basis")]),
        InlinePanel(
            "treatment_form_links",
            heading="Treatment forms used",
            label="Treatment form",
            help_text="Only the forms a cited source names for this condition.",
        ),
        InlinePanel("reference_links", heading="References", label="Reference", min_num=1),
        *MedicallyReviewed.review_panels,
    ]
    search_fields: ClassVar = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("aliases", boost=2),
        index.AutocompleteField("aliases"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("evidence_strength"),
        *MedicallyReviewed.review_search_fields,
        *LIVE_FILTER_FIELDS,
    ]

    class Meta(PublishableSnippet.Meta):
        ordering: ClassVar = ["name"]
        indexes: ClassVar = live_item_indexes(ordering)

    def __str__(self):
        return self.name

    def clean(self):
        errors = errors_from(super().clean)
        values = {"evidence_strength_basis": (bool(self.evidence_strength), "strength of evidence")}
        for field, message in basis_problems(self, values):
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]


class ConditionTreatmentForm(TreatmentFormLink):
    condition = ParentalKey(
        Condition, on_delete=models.CASCADE, related_name="treatment_form_links"
    )
    treatment_form = models.ForeignKey(
        "content_models.TreatmentForm", on_delete=models.CASCADE, related_name="condition_links"
    )


class ConditionReference(ReferenceLink):
    condition = ParentalKey(Condition, on_delete=models.CASCADE, related_name="reference_links")
