from typing import ClassVar

from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ArticleBodyBlock
from ..live import is_live, live_q
from ..preview import HeadlessPreviewMixin
from ..snippets.base import (
    LIVE_FILTER_FIELDS,
    DraftsSurviveDeletedLinks,
    MedicallyReviewed,
    ReferenceLink,
)


class ArticleIndexPage(Page):
    """The section that holds the articles; the root of the site in the page tree."""

    parent_page_types: ClassVar = ["wagtailcore.Page"]
    subpage_types: ClassVar = ["content_models.ArticlePage"]
    max_count_per_parent = 1
    template = "content_models/article_index_page.html"

    def get_context(self, request, *args, **kwargs):
        """The articles readers may see: live, not expired and under no view restriction."""
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = ArticlePage.objects.child_of(self).filter(live_q()).public()
        return context


class ArticlePage(DraftsSurviveDeletedLinks, HeadlessPreviewMixin, MedicallyReviewed, Page):
    """A patient article: prose with treatment forms, side effects, rules and FAQs embedded."""

    summary = models.TextField(help_text="One or two plain sentences shown in lists and search.")
    body = StreamField(ArticleBodyBlock())

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("reference_links", heading="References", label="Reference", min_num=1),
        *MedicallyReviewed.review_panels,
    ]
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        *MedicallyReviewed.review_search_fields,
        *LIVE_FILTER_FIELDS,
    ]
    parent_page_types: ClassVar = ["content_models.ArticleIndexPage"]
    subpage_types: ClassVar = []
    template = "content_models/article_page.html"

    def route(self, request, path_components):
        """As Wagtail routes, but an article past its expiry date is not served even before
        the scheduled job unpublishes it."""
        if not path_components and not is_live(self):
            raise Http404
        return super().route(request, path_components)

    class Meta:
        verbose_name = "article"


class ArticlePageReference(ReferenceLink):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="reference_links")
