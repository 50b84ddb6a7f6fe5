import re
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from ..enums import ReferenceKind
from .base import LIVE_FILTER_FIELDS, PublishableSnippet, live_item_indexes, title_panel

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


class Reference(PublishableSnippet):
    """A published source that backs a clinical statement: a trial, review, guideline or page."""

    title = models.CharField(max_length=500, help_text="The source's own title, as published.")
    kind = models.CharField(max_length=32, choices=ReferenceKind.choices)
    publisher = models.CharField(
        max_length=255, help_text="The journal, organisation or website that published it."
    )
    authors = models.CharField(
        max_length=1000, blank=True, help_text="As cited, e.g. 'Berman RM, Cappiello A, et al.'"
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
        help_text="Year of publication.",
    )
    url = models.URLField(max_length=1000, blank=True, verbose_name="URL")
    doi = models.CharField(
        max_length=255,
        blank=True,
        verbose_name="DOI",
        validators=[
            RegexValidator(
                DOI_PATTERN, "A DOI starts with '10.' then a slash, e.g. 10.1056/NEJMoa1"
            ),
        ],
        help_text="Without the https://doi.org/ prefix, e.g. 10.1176/appi.ajp.2018.18020138",
    )
    pmid = models.CharField(
        max_length=12,
        blank=True,
        verbose_name="PubMed ID",
        validators=[RegexValidator(r"^\d{1,10}$", "A PubMed ID is digits only, e.g. 29983129.")],
    )
    trial_id = models.CharField(
        max_length=50,
        blank=True,
        verbose_name="trial registration",
        help_text="e.g. NCT01234567 (ClinicalTrials.gov) or ISRCTN12345678.",
    )
    accessed_on = models.DateField(
        null=True, blank=True, help_text="For web pages: when the page was last checked."
    )
    summary = models.TextField(
        blank=True, help_text="One sentence: what this source shows, in plain words."
    )

    panels: ClassVar = [
        title_panel("title"),
        PublishableSnippet.slug_panel,
        FieldPanel("kind"),
        FieldPanel("publisher"),
        FieldPanel("authors"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("year"), FieldPanel("accessed_on")]),
                FieldPanel("url"),
                FieldRowPanel([FieldPanel("doi"), FieldPanel("pmid"), FieldPanel("trial_id")]),
            ],
            heading="Where to find it",
        ),
    ]
    search_fields: ClassVar = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("publisher"),
        # Choosers search by autocomplete; editors look sources up by publisher as often as title.
        index.AutocompleteField("publisher"),
        index.SearchField("authors"),
        index.SearchField("doi"),
        index.SearchField("pmid"),
        index.SearchField("trial_id"),
        index.FilterField("kind"),
        index.FilterField("year"),
        *LIVE_FILTER_FIELDS,
    ]

    class Meta(PublishableSnippet.Meta):
        ordering: ClassVar = ["title"]
        indexes: ClassVar = live_item_indexes(ordering)

    def __str__(self):
        return f"{self.title} ({self.publisher}, {self.year})" if self.year else self.title
