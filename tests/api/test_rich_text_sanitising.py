"""Rich text reaches clients clean, whoever wrote it and by whichever path it is read: only
the tags and attributes the editor's features produce, never a script, an event handler, a
`javascript:` link or Wagtail's internal `data-block-key`."""

import pytest

from tests.factories import (
    ArticlePageFactory,
    FAQFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    apply_to,
)

pytestmark = pytest.mark.django_db

# As an import, a script or a direct database write could store it, bypassing the editor.
HOSTILE_RICH_TEXT = (
    '<p data-block-key="a1b2c">Rest <b>after</b> the session.'
    "<script>alert('script')</script>"
    '<img src="x" onerror="alert(\'onerror\')">'
    "<a href=\"javascript:alert('link')\">Read more</a>"
    '<a href="https://example.org/leaflet" onclick="alert(\'click\')">Leaflet</a></p>'
)
CLEAN_RICH_TEXT = (
    "<p>Rest <b>after</b> the session.<a>Read more</a>"
    '<a href="https://example.org/leaflet">Leaflet</a></p>'
)
FORBIDDEN = ("<script", "alert(", "onerror", "onclick", "javascript:", "data-block-key", "<img")


def strings_in(data) -> list[str]:
    """Every string value of a JSON document, at any depth."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in strings_in(value)]
    if isinstance(data, list):
        return [text for value in data for text in strings_in(value)]
    return [data] if isinstance(data, str) else []


def side_effect_with_hostile_text():
    form = TreatmentFormFactory(slug="iv-infusion")
    side_effect = SideEffectFactory(slug="tiredness", description=HOSTILE_RICH_TEXT)
    apply_to(side_effect, form)
    return side_effect


def article_with_hostile_text():
    faq = FAQFactory(answer=HOSTILE_RICH_TEXT)
    ArticlePageFactory(
        slug="after-a-session",
        body=[
            {"type": "paragraph", "value": HOSTILE_RICH_TEXT},
            {
                "type": "safety_callout",
                "value": {"level": "warning", "title": "Call us", "text": HOSTILE_RICH_TEXT},
            },
            {"type": "faq_list", "value": {"heading": "", "items": [faq.pk]}},
        ],
    )


PATHS = {
    "detail": (side_effect_with_hostile_text, "/api/v1/side-effects/tiredness/"),
    "list": (side_effect_with_hostile_text, "/api/v1/side-effects/"),
    "search-in-list": (side_effect_with_hostile_text, "/api/v1/side-effects/?search=rest"),
    "expansion": (
        side_effect_with_hostile_text,
        "/api/v1/treatment-forms/iv-infusion/?expand=side_effects",
    ),
    "article-blocks": (article_with_hostile_text, "/api/v1/articles/after-a-session/"),
    "sync": (side_effect_with_hostile_text, "/api/v1/sync/"),
}


@pytest.mark.parametrize("path", PATHS)
def test_rich_text_written_outside_the_editor_reaches_clients_clean(api, path):
    create, url = PATHS[path]
    create()

    response = api.get(url)

    assert response.status_code == 200
    texts = strings_in(response.json())
    assert CLEAN_RICH_TEXT in texts
    assert not [text for text in texts if any(marker in text for marker in FORBIDDEN)]


def test_every_rich_text_of_an_article_is_cleaned(api):
    article_with_hostile_text()

    body = api.get("/api/v1/articles/after-a-session/").json()["body"]

    paragraph, callout, faqs = (block["value"] for block in body)
    assert paragraph == CLEAN_RICH_TEXT
    assert callout["text"] == CLEAN_RICH_TEXT
    assert faqs["items"][0]["answer"] == CLEAN_RICH_TEXT
