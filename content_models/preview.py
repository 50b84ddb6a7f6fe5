"""Headless preview: a front end renders an editor's draft through the API.

As Contentful's preview API and the wagtail-headless-preview pattern do, the admin's preview
makes a token, and the front end reads the draft with it from the API's preview endpoint in
exactly the shape a published item has. The token is signed with the project's secret key,
names one item, and expires after `PREVIEW_TOKEN_MAX_AGE` seconds; it shows the item's latest
draft (the admin saves drafts as the editor types), and nothing else: the items the draft
relates to appear only if they are live. Without a token no draft is visible anywhere.
"""

from urllib.parse import urlencode

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.template.response import TemplateResponse
from django.urls import reverse

PREVIEW_SALT = "content_models.preview"


class InvalidPreviewToken(Exception):
    """The token was not made by this site's admin, was altered, or has expired."""


def preview_token(item) -> str:
    """A token for the latest draft of `item` (saved), valid for `PREVIEW_TOKEN_MAX_AGE`."""
    return signing.dumps({"model": item._meta.label_lower, "id": item.pk}, salt=PREVIEW_SALT)


def draft_for_preview(token: str, models: list):
    """The latest draft of the item a token names, if it is of one of `models`.

    Raises `InvalidPreviewToken`, or the model's `DoesNotExist` when the item was deleted.
    """
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
        model = apps.get_model(payload["model"])
        pk = int(payload["id"])
    except (signing.BadSignature, LookupError, KeyError, TypeError, ValueError):
        raise InvalidPreviewToken from None
    if model not in models:
        raise InvalidPreviewToken
    item = model.objects.select_related("locale").get(pk=pk)
    draft = item.get_latest_revision_as_object()
    # A draft carries the review of the text it was edited from; it stands only if the
    # reviewer approved this very revision (`MedicallyReviewed`), as publishing would decide.
    if hasattr(draft, "review_applies_to") and not draft.review_applies_to(item.latest_revision_id):
        draft.withdraw_review()
    return draft


def public_site_preview_url(token: str) -> str:
    """The public site's preview page for a draft: /preview/?token=<token>, from which the
    site reads the draft through the API's preview endpoint."""
    return f"{settings.PUBLIC_SITE_BASE_URL}/preview/?{urlencode({'token': token})}"


def api_preview_url(token: str) -> str:
    """The API's address for the draft a preview token names (by its URL name: the API
    serves it, and this layer does not import the API)."""
    return f"{reverse('api:v1:preview')}?{urlencode({'token': token})}"


def front_end_preview_response(request, context) -> TemplateResponse:
    """The admin's preview page that frames the public site's preview page.

    Wagtail renders a preview through the middleware a second time (make_preview_request), so
    the Content-Security-Policy the admin's URLs add (cms/urls.py) does not reach it: this page
    allows the public site as a frame, and its own inline style.
    """
    policy = {"frame-src": [SELF, settings.PUBLIC_SITE_BASE_URL], "style-src": [UNSAFE_INLINE]}
    render = csp_update(policy)(TemplateResponse)
    return render(request, "content_models/front_end_preview.html", context)


class HeadlessPreviewMixin:
    """The admin's preview of an item: its front end, when `PUBLIC_SITE_BASE_URL` names one,
    showing the draft through a preview token; otherwise the item's own HTML preview, which
    gives the API address a front end developer can try the token with."""

    def serve_preview(self, request, mode_name):
        if self.pk is not None and settings.PUBLIC_SITE_BASE_URL:
            context = {
                "object": self,
                "front_end_url": public_site_preview_url(preview_token(self)),
            }
            return front_end_preview_response(request, context)
        return super().serve_preview(request, mode_name)

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        # A draft not saved yet has no address for the API to find it by.
        if self.pk is not None:
            context["api_preview_url"] = request.build_absolute_uri(
                api_preview_url(preview_token(self))
            )
        return context
