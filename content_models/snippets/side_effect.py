from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.search import index

from ..enums import Frequency, Severity, Timing
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


class SideEffect(MedicallyReviewed, PublishableSnippet):
    """An effect patients may notice, how often, how strongly, when, and what to do about it."""

    name = models.CharField(max_length=200, help_text="In words patients use, e.g. 'Nausea'.")
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    description = RichTextField(
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text="The full explanation patients read: what it feels like and why it matters, "
        "in plain words.",
    )
    frequency = models.CharField(
        max_length=20,
        choices=Frequency.choices,
        blank=True,
        help_text="How often patients notice it. Leave it empty when no cited source says "
        "how often: an empty answer is safer than a guess.",
    )
    frequency_basis = basis_field("frequency")
    severity = models.CharField(
        max_length=20,
        choices=Severity.choices,
        blank=True,
        help_text="How strong it usually is. Leave it empty when no cited source says how strong.",
    )
    severity_basis = basis_field("severity")
    timing = models.CharField(
        max_length=20, choices=Timing.choices, help_text="When it usually happens."
    )
    usual_duration = models.CharField(
        max_length=255, blank=True, help_text="How long it usually lasts, e.g. 'under 15 minutes'."
    )
    what_helps = models.TextField(blank=True, help_text="What the clinic or patient can do.")
    when_to_seek_help = models.TextField(
        blank=True,
        help_text="The signs that mean a patient should contact the clinic or emergency services.",
    )

    panels: ClassVar = [
        title_panel("name"),
        PublishableSnippet.slug_panel,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("frequency_basis")]),
                FieldRowPanel([FieldPanel("severity"), FieldPanel("severity_basis")]),
                FieldPanel("timing"),
                FieldPanel("usual_duration"),
            ],
            heading="How often, how strong, when",
        ),
        FieldPanel("what_helps"),
        FieldPanel("when_to_seek_help"),
        InlinePanel(
            "treatment_form_links",
            heading="Treatment forms",
            label="Treatment form",
            help_text="Only the forms a cited source names this side effect for. Leave it empty "
            "when the sources describe ketamine therapy in general.",
        ),
        InlinePanel("reference_links", heading="References", label="Reference", min_num=1),
        *MedicallyReviewed.review_panels,
    ]
    search_fields: ClassVar = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("frequency"),
        index.FilterField("severity"),
        index.FilterField("timing"),
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
        values = {
            "frequency_basis": (bool(self.frequency), "frequency"),
            "severity_basis": (bool(self.severity), "severity"),
        }
        for field, message in basis_problems(self, values):
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)


class SideEffectTreatmentForm(TreatmentFormLink):
    side_effect = ParentalKey(
        SideEffect, on_delete=models.CASCADE, related_name="treatment_form_links"
    )
    treatment_form = models.ForeignKey(
        "content_models.TreatmentForm", on_delete=models.CASCADE, related_name="side_effect_links"
    )


class SideEffectReference(ReferenceLink):
    side_effect = ParentalKey(SideEffect, on_delete=models.CASCADE, related_name="reference_links")
