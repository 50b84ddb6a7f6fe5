from typing import ClassVar

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.search import index

from ..enums import FaqTopic
from .base import (
    LIVE_FILTER_FIELDS,
    MedicallyReviewed,
    PublishableSnippet,
    ReferenceLink,
    live_item_indexes,
    title_panel,
)


class FAQ(MedicallyReviewed, PublishableSnippet):
    """A question patients ask, answered in plain words and backed by references."""

    question = models.CharField(max_length=300, help_text="As a patient would ask it.")
    summary = models.CharField(
        max_length=300, help_text="The answer in one sentence, for lists and search results."
    )
    answer = RichTextField(features=["bold", "italic", "ol", "ul", "link"])
    topic = models.CharField(max_length=30, choices=FaqTopic.choices)

    panels: ClassVar = [
        title_panel("question"),
        PublishableSnippet.slug_panel,
        FieldPanel("topic"),
        FieldPanel("summary"),
        FieldPanel("answer"),
        InlinePanel("reference_links", heading="References", label="Reference", min_num=1),
        *MedicallyReviewed.review_panels,
    ]
    search_fields: ClassVar = [
        index.SearchField("question", boost=3),
        index.AutocompleteField("question"),
        index.SearchField("summary"),
        index.SearchField("answer"),
        index.FilterField("topic"),
        *MedicallyReviewed.review_search_fields,
        *LIVE_FILTER_FIELDS,
    ]

    class Meta(PublishableSnippet.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        ordering: ClassVar = ["question"]
        indexes: ClassVar = live_item_indexes(ordering)

    def __str__(self):
        return self.question


class FAQReference(ReferenceLink):
    faq = ParentalKey(FAQ, on_delete=models.CASCADE, related_name="reference_links")
