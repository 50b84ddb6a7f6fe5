"""schema.org JSON-LD for one item of each collection (`Accept: application/ld+json`).

Every item is a MedicalWebPage (https://schema.org/MedicalWebPage) saying who publishes and
licenses it, when it was last medically reviewed and by whom, and which sources it cites; its
`mainEntity` is the medical thing the page is about (a MedicalTherapy, a MedicalCondition, ...).

Only live content appears. The item comes from `live_items`, whose prefetched relations hold
live items only (read with `live_related`); anything reached another way, such as the reviewer
or the items an article's blocks embed, is checked with `is_live_beside` (live, and in the
item's language).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers
from wagtail.blocks import StructValue
from wagtail.rich_text import get_text_for_indexing

from content_models import collections
from content_models.enums import ReferenceKind, RuleKind
from content_models.models import (
    FAQ,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)
from content_models.selectors import is_live_beside, live_referenced, live_related
from content_models.snippets.base import MedicallyReviewed

from .serializers.base import api_url, public_url

# A precaution asks for care rather than ruling treatment out, so it is not a contraindication;
# schema.org has no closer type for it than MedicalEntity.
RULE_TYPES = {
    RuleKind.ABSOLUTE_CONTRAINDICATION: "MedicalContraindication",
    RuleKind.RELATIVE_CONTRAINDICATION: "MedicalContraindication",
    RuleKind.PRECAUTION: "MedicalEntity",
    RuleKind.INDICATION: "MedicalIndication",
}

# All CreativeWorks, as `citation` expects. A trial is cited through what it published:
# schema.org's MedicalTrial is a study, not a work that can be cited.
REFERENCE_TYPES = {
    ReferenceKind.TRIAL: "ScholarlyArticle",
    ReferenceKind.REVIEW: "ScholarlyArticle",
    ReferenceKind.GUIDELINE: "CreativeWork",
    ReferenceKind.INSTITUTIONAL_PAGE: "WebPage",
    ReferenceKind.NEWS: "NewsArticle",
}


def item_jsonld(item, page_of, request) -> dict:
    """The JSON-LD document of one live item, written by its collection's page function
    (`page_of`, e.g. `side_effect_page`, which each viewset names)."""
    return without_empty(page_of(item, request))


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
            creative_work(reference) for reference in live_related(item, collections.CITATIONS)
        ]
    return page


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


def creative_work(reference: Reference) -> dict:
    """A reference as the work it is, with the identifiers it has."""
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


def therapy_in_brief(form: TreatmentForm, request) -> dict:
    return in_brief("MedicalTherapy", form.name, form, request)


def symptom_in_brief(side_effect: SideEffect, request) -> dict:
    return in_brief("MedicalSignOrSymptom", side_effect.name, side_effect, request)


def rule_in_brief(rule: EligibilityRule, request) -> dict:
    return in_brief(RULE_TYPES[rule.kind], rule.title, rule, request)


def in_brief(schema_type: str, name: str, item, request) -> dict:
    """A related item in brief: what it is, its name and summary, and where to read it all."""
    return {
        "@type": schema_type,
        "name": name,
        "description": item.summary,
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


# One function per collection: its item's page, and the entity the page is about.


def treatment_form_page(form: TreatmentForm, request) -> dict:
    treatment_forms = collections.by_name("treatment-forms")
    rules = live_related(form, treatment_forms.relation("eligibility_rules"))
    side_effects = live_related(form, treatment_forms.relation("side_effects"))
    return {
        **web_page(form, request, name=form.name, description=form.summary),
        "mainEntity": {
            "@type": "MedicalTherapy",
            "name": form.name,
            "description": plain_text(form.description),
            "howPerformed": plain_text(form.administration),
            # Ketamine, or esketamine (Spravato): a different medicine, approved differently.
            "drug": {
                "@type": "Drug",
                "name": form.medicine,
                "administrationRoute": form.get_route_display(),
            },
            # schema.org gives a therapy no property for its indications or precautions; those
            # rules are described on their own pages.
            "contraindication": [
                rule_in_brief(rule, request)
                for rule in rules
                if RULE_TYPES[rule.kind] == "MedicalContraindication"
            ],
            "adverseOutcome": [symptom_in_brief(effect, request) for effect in side_effects],
        },
    }


def side_effect_page(side_effect: SideEffect, request) -> dict:
    return {
        **web_page(side_effect, request, name=side_effect.name, description=side_effect.summary),
        "mainEntity": {
            "@type": "MedicalSignOrSymptom",
            "name": side_effect.name,
            "description": plain_text(side_effect.description),
        },
    }


def eligibility_rule_page(rule: EligibilityRule, request) -> dict:
    return {
        **web_page(rule, request, name=rule.title, description=rule.summary),
        "mainEntity": {
            "@type": RULE_TYPES[rule.kind],
            "name": rule.title,
            "description": rule.rationale,
        },
    }


def condition_page(condition: Condition, request) -> dict:
    forms = live_related(condition, collections.APPLIES_TO)
    return {
        **web_page(condition, request, name=condition.name, description=condition.summary),
        "mainEntity": {
            "@type": "MedicalCondition",
            "name": condition.name,
            "alternateName": condition.alias_list,
            "description": plain_text(condition.description),
            "possibleTreatment": [therapy_in_brief(form, request) for form in forms],
        },
    }


def reference_page(reference: Reference, request) -> dict:
    return {
        **web_page(reference, request, name=reference.title, description=reference.summary),
        "mainEntity": creative_work(reference),
    }


def faq_page(faq: FAQ, request) -> dict:
    return {
        **web_page(faq, request, name=faq.question, description=faq.summary),
        # Both kinds of page, as neither type is a subtype of the other and schema.org lets a
        # node have several types. Search engines read an FAQPage's questions from mainEntity.
        "@type": ["MedicalWebPage", "FAQPage"],
        "mainEntity": question(faq, request),
    }


def reviewer_page(reviewer: MedicalReviewer, request) -> dict:
    return {
        **web_page(reviewer, request, name=reviewer.name, description=reviewer.bio),
        "mainEntity": person(reviewer, request),
    }


def article_page(article: ArticlePage, request) -> dict:
    """An article is about the clinical items its body embeds; the FAQs it embeds are part of
    it. (Its prose stays in the JSON `body`.)"""
    return {
        **web_page(article, request, name=article.title, description=article.summary),
        "about": [
            *[therapy_in_brief(form, request) for form in embedded(article, "treatment_form")],
            *[symptom_in_brief(item, request) for item in embedded(article, "side_effect_list")],
            *[rule_in_brief(rule, request) for rule in embedded(article, "eligibility_rule_list")],
        ],
        "hasPart": [question(faq, request) for faq in embedded(article, "faq_list")],
    }


def item_url(item, request) -> str:
    """Where people read the item: its page on the public site when one is configured,
    otherwise its address in this API."""
    collection = collections.for_model(type(item))
    return public_url(item, collection) or api_url(item, collection, request)


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
