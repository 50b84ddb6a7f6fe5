"""Content-Security-Policy: on the admin, the API docs page and the API's JSON. Scripts and
styles come from this server only; only the admin, which needs them, may run inline ones.

Which allowances the pages need was found by loading them in Chromium (the admin's sign-in,
dashboard, page and snippet listings and editors, the docs page with its bundled assets); these
tests hold the policy and the pages to what was found."""

import re

import pytest

from tests.factories import FAQFactory

pytestmark = pytest.mark.django_db

SELF = "'self'"
UNSAFE_INLINE = "'unsafe-inline'"


def policy(response) -> dict[str, set[str]]:
    """The response's Content-Security-Policy, as directive -> sources."""
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


def assert_everything_from_this_server(csp: dict[str, set[str]]) -> None:
    assert csp["default-src"] == {SELF}
    assert csp["object-src"] == {"'none'"}
    assert csp["base-uri"] == {SELF}
    assert csp["form-action"] == {SELF}
    assert csp["frame-ancestors"] == {SELF}
    assert csp["img-src"] == {SELF, "data:"}
    for sources in csp.values():
        assert not any(source.startswith(("http", "*")) for source in sources), csp
        assert "'unsafe-eval'" not in sources, csp


@pytest.mark.parametrize(
    "url", ["/api/v1/docs/", "/api/v1/docs/?script=", "/api/v1/faqs/", "/api/no-such-endpoint/"]
)
def test_outside_the_admin_no_inline_script_or_style_may_run(client, url):
    FAQFactory()
    csp = policy(client.get(url))
    assert_everything_from_this_server(csp)
    assert csp["script-src"] == {SELF}
    assert csp["style-src"] == {SELF}


@pytest.mark.parametrize("url", ["/admin/", "/admin/snippets/content_models/faq/add/"])
def test_the_admin_may_run_inline_scripts_and_styles_and_nothing_from_elsewhere(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    csp = policy(response)
    assert_everything_from_this_server(csp)
    assert csp["script-src"] == csp["style-src"] == {SELF, UNSAFE_INLINE}


def test_the_sign_in_page_has_the_admins_policy(client):
    csp = policy(client.get("/admin/login/"))
    assert csp["script-src"] == {SELF, UNSAFE_INLINE}


def test_the_docs_page_has_no_inline_script_or_style(client):
    page = client.get("/api/v1/docs/").content.decode()

    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all("src=" in script for script in scripts), scripts
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers either


def test_the_docs_page_loads_its_start_up_script_from_this_server(client):
    page = client.get("/api/v1/docs/").content.decode()
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', page)[1]

    response = client.get(script_url.replace("&amp;", "&"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_the_admins_preview_may_frame_the_public_site_and_nothing_else(settings):
    """The preview panel shows the public site's preview page (content_models/preview.py).
    Wagtail renders a preview through the middleware again, as here, outside the admin URLs'
    allowances."""
    settings.PUBLIC_SITE_BASE_URL = "https://clinic.example"
    faq = FAQFactory()

    response = faq.make_preview_request()

    assert response.status_code == 200
    assert 'src="https://clinic.example/preview/?token=' in response.text
    csp = policy(response)
    assert csp["frame-src"] == {SELF, "https://clinic.example"}
    assert csp["style-src"] == {SELF, UNSAFE_INLINE}
    assert csp["script-src"] == {SELF}
