"""The formats the content API answers in besides JSON, and how a request picks one."""

from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class JSONLDRenderer(JSONRenderer):
    """schema.org linked data (JSON-LD is JSON), chosen with `Accept: application/ld+json` or
    `?format=jsonld`. The view builds the document; this only names the format."""

    media_type = "application/ld+json"
    format = "jsonld"


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with one answer to any format an address does not offer: 406 naming
    the formats it does.

    DRF answers a `?format=` it has no renderer for with a bare 404, which reads as "no such
    item"; and its 406 for an `Accept` header does not say what would work.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except (Http404, NotAcceptable):
            offered = ", ".join(
                f"{renderer.media_type} (?format={renderer.format})" for renderer in renderers
            )
            raise NotAcceptable(f"This address answers only in {offered}.") from None
