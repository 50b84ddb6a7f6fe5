"""Every JSON the API sends is safe to embed in HTML: `<`, `>` and `&` leave as `\\u003c`,
`\\u003e` and `\\u0026`, which JSON parsers read back as the same text, so a field holding
`</script><script>...` cannot close the `<script>` element a partner puts JSON-LD in.

These tests read the bytes of responses: whatever renders the JSON, they hold it to this."""

import datetime
import json

import pytest
from django.utils.functional import lazy
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from api.renderers import HTMLSafeJSONRenderer, escape_for_html_embedding
from tests.factories import FAQFactory

from .v1.helpers import FACTORIES, TITLE_FIELDS

pytestmark = pytest.mark.django_db

BREAKOUT = '</script><script>alert("taken")</script><!-- & &amp;'
HTML_SIGNIFICANT = (b"<", b">", b"&")


def assert_embeddable(response) -> None:
    """No raw `<`, `>` or `&` in the body: nothing in it can end a <script> element."""
    for character in HTML_SIGNIFICANT:
        assert character not in response.content, (character, response.content[:300])


def strings_in(value) -> list[str]:
    """Every string in a parsed JSON document."""
    if isinstance(value, str):
        return [value]
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    )
    return [string for child in children for string in strings_in(child)]


@pytest.mark.parametrize("collection", FACTORIES)
@pytest.mark.parametrize("format_", ["json", "jsonld"])
def test_a_title_holding_markup_leaves_escaped_and_reads_back_unchanged(api, collection, format_):
    FACTORIES[collection](slug="the-item", **{TITLE_FIELDS[collection]: BREAKOUT})

    response = api.get(f"/api/v1/{collection}/the-item/", {"format": format_})

    assert response.status_code == 200
    assert_embeddable(response)
    assert BREAKOUT in strings_in(json.loads(response.content))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/faqs/",
        "/api/v1/search/?q=taken",
        "/api/v1/sync/",
        "/api/v1/manifest/",
        "/api/v1/faqs/the-faq/?expand=references",
    ],
)
def test_lists_search_and_sync_leave_escaped(api, url):
    FAQFactory(slug="the-faq", question=BREAKOUT, answer=f"<p>{BREAKOUT}</p>")
    response = api.get(url)
    assert response.status_code == 200
    assert_embeddable(response)


@pytest.mark.parametrize(
    ("url", "headers", "status"),
    [
        # Errors that repeat what the request said: a parameter's name, a path, a slug.
        ("/api/v1/faqs/?%3Cscript%3E=1", {}, 400),
        ("/api/v1/faqs/%3Cscript%3E/", {}, 404),
        ("/api/%3Cscript%3E&/", {}, 404),
        ("/api/v1/faqs/?format=%3Cscript%3E", {}, 406),
        ("/api/v1/faqs/", {"HTTP_X_API_KEY": "<script>"}, 401),
    ],
)
def test_errors_leave_escaped(api, url, headers, status):
    response = api.get(url, **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert_embeddable(response)


# Any text but lone surrogates, which UTF-8 (and so no response) can hold.
@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_escaping_changes_no_value(text):
    rendered = escape_for_html_embedding(json.dumps({"text": text}, ensure_ascii=False).encode())
    assert json.loads(rendered) == {"text": text}
    assert not any(character in rendered for character in HTML_SIGNIFICANT)


# What serializers hand the renderer. Floats where orjson and DRF write them alike (see
# `HTMLSafeJSONRenderer`); lone surrogates, which no UTF-8 response can hold, left out.
TEXT = st.text(st.characters(exclude_categories=["Cs"]))
FLOATS = st.floats(allow_nan=False, allow_infinity=False).filter(
    lambda number: number == 0 or abs(number) >= 1e-4
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | FLOATS
    | TEXT
    | st.datetimes(timezones=st.sampled_from([None, datetime.UTC]))
    | st.dates()
    | st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**6, min_value=-(10**6)
    )
    | st.uuids()
    | TEXT.map(lazy(str, str))
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=20,
)


@given(DOCUMENTS)
def test_the_renderer_writes_byte_for_byte_what_drf_writes(document):
    drf_json = escape_for_html_embedding(JSONRenderer().render(document))

    assert HTMLSafeJSONRenderer().render(document) == drf_json


def test_separators_of_javascript_lines_leave_escaped_as_drf_escapes_them():
    rendered = HTMLSafeJSONRenderer().render({"text": "one\u2028two\u2029three"})

    assert rendered == b'{"text":"one\\u2028two\\u2029three"}'


def test_an_indented_response_is_indented_as_asked():
    rendered = HTMLSafeJSONRenderer().render(
        {"a": [1]}, "application/json; indent=2", {"indent": None}
    )

    assert rendered == b'{\n  "a": [\n    1\n  ]\n}'
