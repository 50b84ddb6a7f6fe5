"""Where published content lives outside the CMS: the public site, or else the API."""

from django.conf import settings
from django.urls import reverse


def public_site_url(collection: str, slug: str, language_code: str) -> str | None:
    """The item's page on the public site (`PUBLIC_SITE_BASE_URL`), or None when unset.

    The site's addresses follow one pattern: /<collection>/<slug>/, with /<language>/ before
    it for any language but the default.
    """
    base = settings.PUBLIC_SITE_BASE_URL
    if not base:
        return None
    prefix = "" if language_code == settings.LANGUAGE_CODE else f"/{language_code}"
    return f"{base}{prefix}/{collection}/{slug}/"


def api_path(collection: str, slug: str, language_code: str) -> str:
    path = reverse(f"api:v1:{collection}-detail", kwargs={"slug": slug})
    if language_code != settings.LANGUAGE_CODE:
        path = f"{path}?locale={language_code}"
    return path
