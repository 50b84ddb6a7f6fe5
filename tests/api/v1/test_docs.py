"""The interactive API documentation needs nothing from any other host."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


class AssetLinks(HTMLParser):
    """Every address a page loads or links to: src and href of script, link and img."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "link", "img"}:
            self.urls += [value for name, value in attrs if name in {"src", "href"} and value]


def test_docs_load_every_asset_from_this_server(client):
    cache.clear()  # a response cached by an earlier run of other code would hide a change
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    parser = AssetLinks()
    parser.feed(response.content.decode())
    assert len(parser.urls) >= 3, parser.urls  # the Swagger UI script, its styles, the icon
    for url in parser.urls:
        parts = urlsplit(url)
        assert parts.netloc in {"", "testserver"}, url
        assert client.get(parts.path).status_code == 200, url
