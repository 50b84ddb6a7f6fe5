"""The formats the content API answers in, and how a request picks one.

Every JSON the API sends (items, lists, JSON-LD, errors) is safe to embed in an HTML page:
see `escape_for_html_embedding`.
"""

from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

# In JSON text these characters occur only inside strings, where a `\uXXXX` escape means the
# same character to every JSON parser; and in UTF-8 their bytes are never part of another
# character. So replacing the bytes changes no value.
HTML_SIGNIFICANT_BYTES = {b"<": b"\\u003c", b">": b"\\u003e", b"&": b"\\u0026"}


def escape_for_html_embedding(json_text: bytes) -> bytes:
    """JSON text with `<`, `>` and `&` written as `\\u003c`, `\\u003e` and `\\u0026`.

    A partner may put what we send inside a `<script>` element of its page (JSON-LD is meant
    for exactly that). Raw, a plain-text field holding `</script><script>...` would close that
    element and run the rest as the partner's own script; escaped, it stays a string. Every
    renderer of the API passes its output through here (`HTMLSafeJSONRenderer`): a new or
    faster JSON renderer must too (tests/api/test_safe_json.py reads the bytes).
    """
    for character, escaped in HTML_SIGNIFICANT_BYTES.items():
        json_text = json_text.replace(character, escaped)
    return json_text


class HTMLSafeJSONRenderer(JSONRenderer):
    """DRF's JSON, safe to embed in HTML (`escape_for_html_embedding`): the API's default."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return escape_for_html_embedding(
            super().render(data, accepted_media_type, renderer_context)
        )


class JSONLDRenderer(HTMLSafeJSONRenderer):
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
