"""The formats the content API answers in, and how a request picks one.

Every JSON the API sends (items, lists, JSON-LD, errors) is safe to embed in an HTML page:
see `escape_for_html_embedding`.
"""

import orjson
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

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


# What DRF's renderer writes as escapes and orjson would write raw: the line and paragraph
# separators, which end a line in older JavaScript.
JAVASCRIPT_LINE_TERMINATORS = {"\u2028".encode(): b"\\u2028", "\u2029".encode(): b"\\u2029"}

# Values orjson would write otherwise than DRF's encoder (dates and times: their precision
# and "Z"; dataclasses) are handed to that encoder, as are those orjson does not know
# (Decimal, lazy translations). Keys that are not strings become strings, as in `json`.
ORJSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)
DRF_ENCODER = JSONEncoder()


class HTMLSafeJSONRenderer(JSONRenderer):
    """DRF's compact JSON, written by orjson and safe to embed in HTML
    (`escape_for_html_embedding`): the API's default.

    Byte for byte what DRF's own renderer writes (tests/api/test_safe_json.py compares them),
    but several times faster on a large response: a list of 100 items with every expansion
    is 1.7 MB of JSON. One difference: a float nearer zero than 1e-4 is written in orjson's
    form (`1e-6` or `0.00001`, where DRF writes `1e-06` and `1e-05`), the same number to any
    parser. An indented response (`Accept: application/json; indent=2`) is DRF's own.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            json_text = super().render(data, accepted_media_type, renderer_context)
        else:
            json_text = orjson.dumps(data, default=DRF_ENCODER.default, option=ORJSON_OPTIONS)
            for character, escaped in JAVASCRIPT_LINE_TERMINATORS.items():
                json_text = json_text.replace(character, escaped)
        return escape_for_html_embedding(json_text)


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
