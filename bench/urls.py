"""The bench's URLs: the project's own, plus what it is measured against.

- `/bench/floor/` and `/api/bench-floor/`: a constant 1 KB JSON answer that touches no
  database, the fastest a view can be on this stack; the second passes the API's middleware
  (key check, rate limit) too.
- `/wagtail-api/v2/pages/`: Wagtail's own API v2 on the project's article pages, with the
  fields our API shows of an article (set here, for the bench only).
"""

import json

from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from api.v1.serializers.base import RichTextBatch
from cms.urls import handler400, handler403, handler500  # noqa: F401 - the project's handlers
from cms.urls import urlpatterns as project_urlpatterns
from content_models.models import ArticlePage

FLOOR_BODY = json.dumps(
    {"items": [{"id": number, "title": f"Constant item {number}"} for number in range(30)]}
).encode()

ARTICLE_FIELDS = (
    "summary",
    "body",
    "reviewed_by",
    "last_reviewed_at",
    "next_review_due",
    "last_published_at",
)
ArticlePage.api_fields = [APIField(name) for name in ARTICLE_FIELDS]


# Outside any transaction, whatever ATOMIC_REQUESTS says: the floor touches no database.
@transaction.non_atomic_requests
def floor(request):
    return HttpResponse(FLOOR_BODY, content_type="application/json")


class ArticlePagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint as it comes, but for one thing: the project's article blocks
    hand their rich text to the response's batch (as in our API), which it expands at the end."""

    def get_serializer_context(self):
        self.rich_text = RichTextBatch()
        return {**super().get_serializer_context(), "rich_text": self.rich_text}

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(self, "rich_text", None) is not None and response.status_code == 200:
            response.data = self.rich_text.expand_in(response.data)
        return super().finalize_response(request, response, *args, **kwargs)


wagtail_api = WagtailAPIRouter("wagtailapi")
wagtail_api.register_endpoint("pages", ArticlePagesAPIViewSet)

urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("api/bench-floor/", floor, name="bench-api-floor"),
    path("wagtail-api/v2/", wagtail_api.urls),
    *project_urlpatterns,
]
