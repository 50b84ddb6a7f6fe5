"""The project's addresses plus Wagtail's API v2 at /bench-v2/, on the same ArticlePage rows
(bench/cold_reads.py only; the project does not serve v2)."""

from django.urls import path
from rest_framework.fields import Field
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as project_urlpatterns
from content_models.models import ArticlePage


class PassThroughRichText:
    """Stock Wagtail hands a rich-text block's source to v2 clients as it is stored; the
    project's blocks ask the response for a rich-text batch, which v2 has not."""

    @staticmethod
    def add(html):
        return html


class ReviewerField(Field):
    def to_representation(self, reviewer):
        return reviewer.slug if reviewer else None


class BenchPagesAPIViewSet(PagesAPIViewSet):
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "rich_text": PassThroughRichText}


ArticlePage.api_fields = [
    APIField("summary"),
    APIField("last_published_at"),
    APIField("last_reviewed_at"),
    APIField("next_review_due"),
    APIField("reviewed_by", serializer=ReviewerField()),
    APIField("body"),
]

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", BenchPagesAPIViewSet)

urlpatterns = [path("bench-v2/", router.urls), *project_urlpatterns]
