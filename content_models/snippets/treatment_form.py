from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from ..enums import Basis, ProcessPhase, RegulatoryStatus, Route
from .base import (
    LIVE_FILTER_FIELDS,
    MedicallyReviewed,
    PublishableSnippet,
    ReferenceLink,
    basis_field,
    basis_problems,
    errors_from,
    live_item_indexes,
    title_panel,
)

# Sentences, not single words: a two-line box shows them whole.
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


def positive_number(help_text, **kwargs):
    """An optional whole number of at least one (minutes, sessions, weeks)."""
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text=help_text, **kwargs
    )


class TreatmentForm(MedicallyReviewed, PublishableSnippet):
    """A way ketamine is given (IV infusion, nasal spray, ...) and what a course of it involves."""

    name = models.CharField(max_length=200, help_text="e.g. 'IV infusion'.")
    route = models.CharField(
        max_length=20, choices=Route.choices, help_text="How the medicine enters the body."
    )
    medicine = models.CharField(
        max_length=100,
        default="Ketamine",
        help_text="The medicine this form gives: 'Ketamine', or 'Esketamine' for the "
        "esketamine nasal spray (Spravato), which is a different medicine.",
    )
    summary = models.TextField(help_text="One or two plain sentences shown in lists and cards.")
    description = RichTextField(
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text="The full explanation patients read: what this form is, how well it works "
        "and how a plan is made, in plain words.",
    )
    administration = RichTextField(
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        verbose_name="how it is given",
        help_text="What the patient experiences as the medicine is given.",
    )
    given_in_clinic = models.BooleanField(
        default=False,
        verbose_name="given in clinic",
        help_text="Tick only if a cited source says so, or mark the basis as the editor's "
        "judgement. Leave both boxes empty when no source says where this form is given.",
    )
    given_at_home = models.BooleanField(
        default=False,
        verbose_name="given at home",
        help_text="Taken at home under the clinic's supervision and instructions.",
    )
    setting_basis = basis_field("setting")
    regulatory_status = models.CharField(
        max_length=20,
        choices=RegulatoryStatus.choices,
        blank=True,
        help_text="Whether a medicines regulator has approved this form for depression. "
        "Leave it empty if you cannot cite where this is said.",
    )
    regulatory_status_basis = basis_field("regulatory status")
    regulatory_note = models.TextField(
        blank=True,
        help_text="The status in plain words for patients: which regulator, for what use, and "
        "any conditions it sets (e.g. 'only in certified clinics, with observation "
        "afterwards').",
    )
    regulatory_reference = models.ForeignKey(
        "content_models.Reference",
        null=True,
        blank=True,
        # The citation of a regulatory statement cannot disappear from under it.
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="regulatory status cited from",
        help_text="The reference that states the regulatory status. List it under References too.",
    )
    session_minutes_min = positive_number(
        "Shortest usual session, in minutes.", verbose_name="session length from (minutes)"
    )
    session_minutes_max = positive_number(
        "Longest usual session, in minutes.", verbose_name="session length to (minutes)"
    )
    course_sessions = positive_number(
        "Number of sessions in a usual first course.", verbose_name="sessions in a course"
    )
    course_weeks_min = positive_number(
        "Shortest usual length of that course, in weeks.", verbose_name="course length from (weeks)"
    )
    course_weeks_max = positive_number(
        "Longest usual length of that course, in weeks.", verbose_name="course length to (weeks)"
    )
    usual_onset = models.CharField(
        max_length=255,
        blank=True,
        verbose_name="usual onset of benefit",
        help_text="When patients usually start to feel better, e.g. 'after 2 to 3 sessions'.",
    )
    monitoring_during = models.TextField(
        blank=True, help_text="What staff check during a session (e.g. blood pressure)."
    )
    monitoring_after = models.TextField(
        blank=True, help_text="How long patients stay and what is checked before they leave."
    )
    dose_basis = models.CharField(
        max_length=255,
        blank=True,
        help_text="What the dose is worked out from, e.g. 'body weight and medical history'.",
    )
    maintenance = models.TextField(
        blank=True, help_text="Whether and how often further sessions follow the first course."
    )

    panels: ClassVar = [
        title_panel("name"),
        PublishableSnippet.slug_panel,
        FieldRowPanel([FieldPanel("route"), FieldPanel("medicine")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("administration"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("given_in_clinic"), FieldPanel("given_at_home")]),
                FieldPanel("setting_basis"),
            ],
            heading="Where it is given",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("regulatory_status"), FieldPanel("regulatory_status_basis")]
                ),
                FieldPanel("regulatory_note"),
                FieldPanel("regulatory_reference"),
            ],
            heading="Regulatory status",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("session_minutes_min"), FieldPanel("session_minutes_max")]
                ),
                FieldPanel("course_sessions"),
                FieldRowPanel([FieldPanel("course_weeks_min"), FieldPanel("course_weeks_max")]),
                FieldPanel("usual_onset", widget=SHORT_TEXT),
                FieldPanel("dose_basis", widget=SHORT_TEXT),
                FieldPanel("maintenance"),
            ],
            heading="Sessions and course",
        ),
        MultiFieldPanel(
            [FieldPanel("monitoring_during"), FieldPanel("monitoring_after")], heading="Monitoring"
        ),
        InlinePanel("process_steps", heading="Treatment process", label="Step"),
        InlinePanel("reference_links", heading="References", label="Reference", min_num=1),
        *MedicallyReviewed.review_panels,
    ]
    search_fields: ClassVar = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("route"),
        index.FilterField("regulatory_status"),
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
        for field, message in self.course_problems():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def course_problems(self):
        # No source may say where a form is given: then neither box is ticked and the API
        # says so (an empty list of settings), rather than the editor guessing.
        yield from basis_problems(
            self,
            {
                "setting_basis": (self.given_in_clinic or self.given_at_home, "setting"),
                "regulatory_status_basis": (bool(self.regulatory_status), "regulatory status"),
            },
        )
        if self.regulatory_status and not (self.regulatory_note and self.regulatory_reference):
            yield (
                "regulatory_status",
                "Give the regulatory status in plain words and the reference that states it.",
            )
        ranges = [
            ("session_minutes", "The shortest session cannot be longer than the longest session."),
            ("course_weeks", "The shortest course cannot be longer than the longest course."),
        ]
        for prefix, message in ranges:
            low, high = getattr(self, f"{prefix}_min"), getattr(self, f"{prefix}_max")
            if low is not None and high is not None and low > high:
                yield f"{prefix}_min", message


class TreatmentProcessStep(Orderable):
    """One step of what happens, in order: before, during, after a session and at follow-up."""

    treatment_form = ParentalKey(
        TreatmentForm, on_delete=models.CASCADE, related_name="process_steps"
    )
    phase = models.CharField(max_length=20, choices=ProcessPhase.choices)
    title = models.CharField(max_length=200, help_text="e.g. 'Medical history review'.")
    description = models.TextField(help_text="What happens and why, in plain words.")
    basis = models.CharField(
        max_length=20,
        choices=Basis.choices,
        # A step nobody has checked against a source is the editor's until someone does.
        default=Basis.EDITORIAL,
        help_text="'Stated in a cited source' only when one of this form's references "
        "describes this step; otherwise it is the editor's advice, and readers are told so.",
    )

    panels: ClassVar = [
        FieldPanel("phase"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("basis"),
    ]

    def __str__(self):
        return self.title


class TreatmentFormReference(ReferenceLink):
    treatment_form = ParentalKey(
        TreatmentForm, on_delete=models.CASCADE, related_name="reference_links"
    )
