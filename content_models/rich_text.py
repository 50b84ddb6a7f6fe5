"""Rich text links for a headless CMS: internal links point where readers can follow them."""

from django.utils.html import escape
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from . import collections
from .live import is_live


class ArticleLinkHandler(PageLinkHandler):
    """A link to an article resolves to its public page, or its API address when the public
    site is not configured (both as its collection builds them); a link to a page that is not
    live, or under a view restriction, keeps its text but loses its address, so rich text
    never leads where readers cannot go."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        # As Wagtail's, with each page's locale in the same query: an article's address names
        # its language, and a query per linked page would grow with the number of links.
        ids = [attrs.get("id") for attrs in attrs_list]
        # Only pages anyone may view: a link to a restricted page keeps its text, not its address.
        pages = (
            Page.objects.filter(id__in=ids)
            .public()
            .defer_streamfields()
            .specific()
            .select_related("locale", for_specific_subqueries=True)
        )
        pages_by_id = {str(page.id): page for page in pages}
        return [pages_by_id.get(str(id_)) for id_ in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [cls._anchor(page) for page in cls.get_many(attrs_list)]

    @staticmethod
    def _anchor(page) -> str:
        if page is None or not is_live(page):
            return "<a>"
        collection = collections.for_model(type(page))
        if collection is None:
            # Other pages have an address only where the page tree is served (SERVE_HTML_PAGES).
            url = page.url
            if url is None:
                return "<a>"
        else:
            language = page.locale.language_code
            url = collection.public_url(page.slug, language) or collection.api_path(
                page.slug, language
            )
        return f'<a href="{escape(url)}">'
