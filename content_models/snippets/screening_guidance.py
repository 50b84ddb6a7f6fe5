from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin
from wagtail.search import index

from .base import LIVE_FILTER_FIELDS, PublishableSnippet, errors_from, title_panel


class ScreeningGuidance(PublishableSnippet):
    """What the eligibility screener says beside its questions, in one language: the
    disclaimer that a clinician decides, the crisis guidance shown when an answer is urgent,
    and the words for the answers every question shares.

    Content, not code, so that a clinic can name its own crisis line in each language and a
    clinician can approve the words. One per language: the screener shows the live one.
    """

    title = models.CharField(
        max_length=200, help_text="For editors only, e.g. 'Screener guidance (English)'."
    )
    disclaimer = models.TextField(
        help_text="Shown with every questionnaire and result. Say plainly that the screener "
        "is not a diagnosis and that a clinician makes the decision."
    )
    crisis_heading = models.CharField(
        max_length=200,
        help_text="Heading of the crisis guidance, e.g. 'If you are in danger now'.",
    )
    crisis_guidance = models.TextField(
        help_text="Shown when an answer is urgent (e.g. thoughts of suicide): what to do now "
        "and which number or line to call where your patients live. Paragraphs are separated "
        "by a blank line."
    )
    yes_label = models.CharField(max_length=50, default="Yes", help_text="The answer 'Yes'.")
    no_label = models.CharField(max_length=50, default="No", help_text="The answer 'No'.")
    unsure_label = models.CharField(
        max_length=100,
        default="I'm not sure",
        help_text="The answer every question offers for a patient who does not know.",
    )

    panels: ClassVar = [
        title_panel("title"),
        PublishableSnippet.slug_panel,
        FieldPanel("disclaimer"),
        MultiFieldPanel(
            [FieldPanel("crisis_heading"), FieldPanel("crisis_guidance")],
            heading="Crisis guidance",
        ),
        MultiFieldPanel(
            [FieldPanel("yes_label"), FieldPanel("no_label"), FieldPanel("unsure_label")],
            heading="Answers every question shares",
        ),
    ]
    search_fields: ClassVar = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        *LIVE_FILTER_FIELDS,
    ]

    class Meta(PublishableSnippet.Meta):
        verbose_name = "screener guidance"
        verbose_name_plural = "screener guidance"

    def __str__(self):
        return self.title

    def clean(self):
        errors = errors_from(super().clean)
        if self.locale_id is not None:
            other = type(self).objects.filter(locale_id=self.locale_id).exclude(pk=self.pk)
            if other.exists():
                errors.setdefault("title", []).append(
                    "This language already has screener guidance: edit that one instead, so "
                    "the screener never has two to choose from."
                )
        if errors:
            raise ValidationError(errors)

    # Not served on its own by the API (the screener's endpoints carry it), so its preview is
    # the admin's own, without the headless preview's API address.
    def serve_preview(self, request, mode_name):
        return PreviewableMixin.serve_preview(self, request, mode_name)

    def get_preview_context(self, request, mode_name):
        context = PreviewableMixin.get_preview_context(self, request, mode_name)
        context["fields"] = list(self.preview_fields())
        return context
