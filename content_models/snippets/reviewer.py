from typing import ClassVar

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .base import LIVE_FILTER_FIELDS, PublishableSnippet, live_item_indexes, title_panel


class MedicalReviewer(PublishableSnippet):
    """A clinician who reviews content before it is published; credited on every item."""

    name = models.CharField(max_length=200, help_text="As it should appear to patients.")
    credentials = models.CharField(
        max_length=200, help_text="Qualifications and registration, e.g. 'MD, FRCPsych'."
    )
    specialty = models.CharField(max_length=200, blank=True, help_text="e.g. 'Psychiatry'.")
    bio = models.TextField(
        blank=True, help_text="Two or three sentences about the reviewer's clinical experience."
    )
    is_demo = models.BooleanField(
        default=False,
        verbose_name="demo reviewer",
        help_text="A placeholder of the demo content, not a real clinician: content it "
        "'reviewed' reads as not reviewed, and its name is never given as a reviewer.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="medical_reviewer",
        # Only a member of the group the "Medical review" task asks can approve as them.
        limit_choices_to={"groups__name": "Medical reviewers"},
        verbose_name="admin account",
        help_text="The account this reviewer logs in with (a member of the Medical reviewers "
        "group). Their approvals in the Medical review workflow then record them as the "
        "reviewer, with the date, automatically.",
    )

    # An account belongs to one profile: a translation of the profile is found through it.
    exclude_fields_in_copy: ClassVar = ["user"]

    panels: ClassVar = [
        title_panel("name"),
        PublishableSnippet.slug_panel,
        FieldPanel("credentials"),
        FieldPanel("specialty"),
        FieldPanel("bio"),
        FieldPanel("is_demo"),
        FieldPanel("user"),
    ]
    search_fields: ClassVar = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("specialty"),
        *LIVE_FILTER_FIELDS,
    ]

    class Meta(PublishableSnippet.Meta):
        verbose_name = "medical reviewer"
        ordering: ClassVar = ["name"]
        indexes: ClassVar = live_item_indexes(ordering)

    def __str__(self):
        return self.name
