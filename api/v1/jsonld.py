"""schema.org JSON-LD for one item of each collection (`Accept: application/ld+json`).

Every item is a MedicalWebPage (https://schema.org/MedicalWebPage) saying who publishes and
licenses it, when it was last medically reviewed and by whom, and which sources it cites; its
`mainEntity` is the medical thing the page is about (a MedicalTherapy, a MedicalCondition, ...).

One builder serves every collection: the page's name and description are what the item's
`title` and `summary` show in JSON, and the rest of the page is what the collection's
serializer declares in `jsonld_page`, with the pieces below (`Entity`, `plain_text_of`,
`related_in_brief`, ...).

Only live content appears. The item comes from `live_items`, whose prefetched relations hold
live items only (read with `live_related`); anything reached another way, such as the reviewer
or the items an article's blocks embed, is checked with `is_live_beside` (live, and in the
item's language).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers
from wagtail.blocks import StructValue
from wagtail.rich_text import get_text_for_indexing

from content_models import collections
from content_models.enums import ReferenceKind
from content_models.models import FAQ, ArticlePage, MedicalReviewer, Reference
from content_models.selectors import is_live_beside, live_referenced, live_related
from content_models.snippets.base import MedicallyReviewed

# How a page's or an entity's property is read from the item: the name of one of its
# attributes, or a function of the item and the request.
Reader = str | Callable

# All CreativeWorks, as `citation` expects. A trial is cited through what it published:
# schema.org's MedicalTrial is a study, not a work that can be cited.
REFERENCE_TYPES = {
    ReferenceKind.TRIAL: "ScholarlyArticle",
    ReferenceKind.REVIEW: "ScholarlyArticle",
    ReferenceKind.GUIDELINE: "CreativeWork",
    ReferenceKind.INSTITUTIONAL_PAGE: "WebPage",
    ReferenceKind.NEWS: "NewsArticle",
}


def item_jsonld(item, request) -> dict:
    """The JSON-LD document of one live item: its page, with what its collection's
    serializer declares (`jsonld_page`: page property -> a value, or a function of the item
    and the request that reads it)."""
    page = web_page(item, request, name=title_of(item), description=summary_of(item))
    for key, value in serializer_of(item).jsonld_page.items():
        page[key] = value(item, request) if callable(value) else value
    return without_empty(page)


def web_page(item, request, *, name: str, description: str) -> dict:
    """The page an item is presented on: what every detail says about itself."""
    organization = publisher()
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": name,
        "description": description,
        "url": item_url(item, request),
        "inLanguage": item.locale.language_code,
        "datePublished": iso_datetime(item.first_published_at),
        "dateModified": iso_datetime(item.last_published_at),
        "license": settings.CONTENT_LICENSE_URL,
        "author": organization,
        "publisher": organization,
        "copyrightHolder": organization,
    }
    if isinstance(item, MedicallyReviewed):
        # A reviewer and a review date only for a real review: never a demo placeholder, never
        # a review withdrawn by a publish outside the workflow (see content_models/review.py).
        if item.has_real_review:
            reviewer = live_referenced(item, "reviewed_by")
            page["lastReviewed"] = iso_date(item.last_reviewed_at)
            page["reviewedBy"] = person(reviewer, request) if reviewer else None
        page["citation"] = [
            creative_work(reference, request)
            for reference in live_related(item, collections.CITATIONS)
        ]
    return page


class Entity:
    """The schema.org thing a page is about, as a serializer declares it: its type (a name,
    or a function of the item for a type that depends on the item), its name (what the item's
    `title` shows, unless `name` is declared), then each declared property, read from the
    item (`Reader`), in the order declared."""

    def __init__(self, schema_type: str | Callable, **properties: Reader):
        self.schema_type = schema_type
        self.properties = properties

    def type_of(self, item) -> str:
        return self.schema_type(item) if callable(self.schema_type) else self.schema_type

    def __call__(self, item, request) -> dict:
        return {
            "@type": self.type_of(item),
            "name": title_of(item),
            **{key: read(reader, item, request) for key, reader in self.properties.items()},
        }


def read(reader: Reader, item, request):
    return getattr(item, reader) if isinstance(reader, str) else reader(item, request)


def plain_text_of(attribute: str) -> Callable:
    """A rich-text attribute of the item, as plain text."""
    return lambda item, request: plain_text(getattr(item, attribute))


def display_of(attribute: str) -> Callable:
    """A choice attribute of the item, as its label."""
    return lambda item, request: getattr(item, f"get_{attribute}_display")()


def related_in_brief(relation_name: str, *, of_type: str | None = None) -> Callable:
    """The live items of one of the item's relations (the registry's), each in brief; with
    `of_type`, only those of that schema.org type."""

    def read_related(item, request) -> list[dict]:
        relation = collections.for_model(type(item)).relation(relation_name)
        related = [in_brief(other, request) for other in live_related(item, relation)]
        return [brief for brief in related if of_type in (None, brief["@type"])]

    return read_related


def embedded_in(*block_names: str, shown_as: Callable) -> Callable:
    """The live items an article's blocks of these names embed, block name by block name,
    each as `shown_as` (item, request) shows it."""

    def read_embedded(article: ArticlePage, request) -> list[dict]:
        return [shown_as(item, request) for name in block_names for item in embedded(article, name)]

    return read_embedded


def serializer_of(item):
    return collections.for_model(type(item)).serializer


def title_of(item) -> str:
    """What the item's `title` shows in JSON (a side effect's name, an FAQ's question)."""
    return shown_by(item, "title")


def summary_of(item) -> str:
    """What the item's `summary` shows in JSON (a reviewer's bio)."""
    return shown_by(item, "summary")


def shown_by(item, field_name: str):
    field = serializer_of(item)._declared_fields.get(field_name)
    return getattr(item, field.source if field is not None and field.source else field_name)


def publisher() -> dict:
    """The organization that writes, publishes and holds the copyright of all the content."""
    return {
        "@type": "Organization",
        "name": settings.CONTENT_PUBLISHER_NAME,
        "url": settings.PUBLIC_SITE_BASE_URL,
    }


def person(reviewer: MedicalReviewer, request) -> dict:
    """A medical reviewer. Credentials such as 'MD, FRCPsych' are what schema.org calls an
    honorific suffix; a specialty is what the person knows about rather than a job title."""
    return {
        "@type": "Person",
        "name": reviewer.name,
        "honorificSuffix": reviewer.credentials,
        "knowsAbout": reviewer.specialty,
        "url": item_url(reviewer, request),
    }


def creative_work(reference: Reference, request) -> dict:
    """A reference as the work it is, with the identifiers it has (its `url` is where the work
    is published, so the request is not needed)."""
    identifiers = {"doi": reference.doi, "pmid": reference.pmid, "trial_id": reference.trial_id}
    return {
        "@type": REFERENCE_TYPES[reference.kind],
        "name": reference.title,
        # Authors as cited ('Berman RM, Cappiello A, et al.'), not people schema.org could name.
        "creditText": reference.authors,
        "publisher": {"@type": "Organization", "name": reference.publisher},
        "datePublished": str(reference.year) if reference.year else None,
        "url": reference.url,
        # The DOI's resolver address names the same work wherever it is published.
        "sameAs": f"https://doi.org/{reference.doi}" if reference.doi else None,
        "identifier": [
            {"@type": "PropertyValue", "propertyID": name, "value": value}
            for name, value in identifiers.items()
            if value
        ],
    }


def in_brief(item, request) -> dict:
    """A related item in brief: what it is (the type of its own page's entity), its name and
    summary, and where to read it all."""
    return {
        "@type": serializer_of(item).jsonld_page["mainEntity"].type_of(item),
        "name": title_of(item),
        "description": summary_of(item),
        "url": item_url(item, request),
    }


def question(faq: FAQ, request) -> dict:
    """An FAQ as the question and accepted answer that an FAQPage is made of."""
    return {
        "@type": "Question",
        "name": faq.question,
        "url": item_url(faq, request),
        "acceptedAnswer": {"@type": "Answer", "text": plain_text(faq.answer)},
    }


def item_url(item, request) -> str:
    """Where people read the item: its page on the public site when one is configured,
    otherwise its address in this API."""
    collection = collections.for_model(type(item))
    language = item.locale.language_code
    return collection.public_url(item.slug, language) or request.build_absolute_uri(
        collection.api_path(item.slug, language)
    )


def embedded(article: ArticlePage, block_name: str) -> list:
    """The live items that an article's `block_name` blocks embed, each once, in order.

    A card block's value is the item; a list block's value holds them under `items`. Blocks are
    not prefetched with the article, so each item is checked here, as in the JSON `body`.
    """
    items = []
    for block in article.body.blocks_by_name(block_name):
        items += block.value["items"] if isinstance(block.value, StructValue) else [block.value]
    return [
        item for item in dict.fromkeys(items) if item is not None and is_live_beside(item, article)
    ]


def plain_text(html: str) -> str:
    """Rich text as the plain text JSON-LD values are: tags dropped, paragraphs kept apart by
    a space, whitespace collapsed."""
    return " ".join(get_text_for_indexing(html).split())


def iso_datetime(moment: datetime.datetime | None) -> str | None:
    """Written as the JSON representation writes it, so both show the same value."""
    return serializers.DateTimeField().to_representation(moment) if moment else None


def iso_date(moment: datetime.datetime | None) -> str | None:
    """schema.org's `lastReviewed` is a date: the day of the review, in the site's time zone."""
    return timezone.localdate(moment).isoformat() if moment else None


def without_empty(value):
    """The document with properties that have no value left out: JSON-LD says nothing rather
    than null, '' or []."""
    if isinstance(value, dict):
        return {
            key: without_empty(item) for key, item in value.items() if item not in (None, "", [])
        }
    if isinstance(value, list):
        return [without_empty(item) for item in value]
    return value
