"""The collections: every kind of content the public reads, each declared once, here.

An entry names a collection as the API's addresses do (`side-effects`), its items' type
(`side-effect`), its model, how people call its items (`side effects`), its relations to
other collections, the StreamFields in which its items embed others' and its section of the
demo-content file (`side_effects`). Everything that needs the list of collections reads it
from here: the API's routes, index, search, manifest and sync, the selectors' prefetches, the
change log, webhooks, partners' licences, the admin's "Reviews due" panel, the demo loader
and the tests. Their order is the order the API lists them in.

The API attaches itself to each entry as it starts (`api/apps.py`): the serializer that shows
its items (`api/v1/serializers/<name>.py`, found by the collection's name), the viewset made
from it, and how an item's address in the API is built. Code below the API (rich-text links,
webhook payloads) asks an entry for that address and so never needs to know the API's URLs.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from modelcluster.fields import ParentalKey

from .models import (
    FAQ,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    ScreeningGuidance,
    SideEffect,
    TreatmentForm,
)
from .snippets.base import MedicallyReviewed


@dataclass(frozen=True)
class Relation:
    """Related items of another collection, reached through ordered inline rows ("links")."""

    # How the API and the demo-content file name the relation, e.g. "treatment_forms".
    name: str
    # The item's link relation ("treatment_form_links") and the field of a link that points
    # to the related item ("treatment_form").
    link: str
    target: str
    # The related items' collection ("treatment-forms").
    collection: str


@dataclass(eq=False)
class Collection:
    """One collection of published content; see the module docstring."""

    name: str
    type_name: str
    model: type[Model]
    demo_section: str
    # What people call the items, in the plural ("conditions treated"), as the API's
    # documentation names the collection.
    label: str
    relations: tuple[Relation, ...] = ()
    # StreamFields in which an item embeds items of other collections in full (an article's
    # body): such an item shows what it embeds, and so changes with it.
    embedding_fields: tuple[str, ...] = ()
    # Attached by the API as it starts (`attach_api`).
    viewset: type | None = field(default=None, init=False, repr=False)
    serializer: type | None = field(default=None, init=False, repr=False)
    _item_path: Callable[[str, str], str] | None = field(default=None, init=False, repr=False)

    @property
    def is_medically_reviewed(self) -> bool:
        return issubclass(self.model, MedicallyReviewed)

    def relation(self, name: str) -> Relation:
        """The relation of that name; StopIteration if there is none."""
        return next(relation for relation in self.relations if relation.name == name)

    def owns(self, relation: Relation) -> bool:
        """Whether an item lists the relation's links itself (its citations, a side effect's
        treatment forms) rather than the related items listing it (a treatment form's side
        effects, which each side effect lists)."""
        link_model = self.model._meta.get_field(relation.link).related_model
        return not isinstance(link_model._meta.get_field(relation.target), ParentalKey)

    def attach_api(
        self, *, viewset: type, serializer: type, item_path: Callable[[str, str], str]
    ) -> None:
        """Record what serves this collection in the API: its viewset, its serializer, and
        `item_path(slug, language_code)`, an item's address (path) in the API."""
        self.viewset, self.serializer, self._item_path = viewset, serializer, item_path

    def api_path(self, slug: str, language_code: str) -> str:
        """The address (path) of an item of this collection in the API."""
        if self._item_path is None:
            raise ImproperlyConfigured(f"No API serves the collection '{self.name}'.")
        return self._item_path(slug, language_code)

    def public_url(self, slug: str, language_code: str) -> str | None:
        """The item's page on the public site (`PUBLIC_SITE_BASE_URL`), or None when unset.

        The site's addresses follow one pattern: /<collection>/<slug>/, with /<language>/
        before it for any language but the default.
        """
        base = settings.PUBLIC_SITE_BASE_URL
        if not base:
            return None
        prefix = "" if language_code == settings.LANGUAGE_CODE else f"/{language_code}"
        return f"{base}{prefix}/{self.name}/{slug}/"


CITATIONS = Relation(
    "references", link="reference_links", target="reference", collection="references"
)
APPLIES_TO = Relation(
    "treatment_forms",
    link="treatment_form_links",
    target="treatment_form",
    collection="treatment-forms",
)

COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "treatment-forms",
        "treatment-form",
        TreatmentForm,
        demo_section="treatment_forms",
        label="treatment forms",
        relations=(
            CITATIONS,
            Relation(
                "side_effects",
                link="side_effect_links",
                target="side_effect",
                collection="side-effects",
            ),
            Relation(
                "eligibility_rules",
                link="eligibility_rule_links",
                target="rule",
                collection="eligibility-rules",
            ),
            Relation(
                "conditions", link="condition_links", target="condition", collection="conditions"
            ),
        ),
    ),
    Collection(
        "side-effects",
        "side-effect",
        SideEffect,
        demo_section="side_effects",
        label="side effects",
        relations=(CITATIONS, APPLIES_TO),
    ),
    Collection(
        "eligibility-rules",
        "eligibility-rule",
        EligibilityRule,
        demo_section="eligibility_rules",
        label="eligibility rules",
        relations=(CITATIONS, APPLIES_TO),
    ),
    Collection(
        "conditions",
        "condition",
        Condition,
        demo_section="conditions",
        label="conditions treated",
        relations=(CITATIONS, APPLIES_TO),
    ),
    Collection("references", "reference", Reference, demo_section="references", label="references"),
    Collection("faqs", "faq", FAQ, demo_section="faqs", label="FAQs", relations=(CITATIONS,)),
    Collection(
        "articles",
        "article",
        ArticlePage,
        demo_section="articles",
        label="articles",
        relations=(CITATIONS,),
        embedding_fields=("body",),
    ),
    Collection(
        "reviewers",
        "reviewer",
        MedicalReviewer,
        demo_section="reviewers",
        label="medical reviewers",
    ),
)

NAMES = [collection.name for collection in COLLECTIONS]
TYPE_NAMES = [collection.type_name for collection in COLLECTIONS]
MODELS = [collection.model for collection in COLLECTIONS]

_BY_NAME = {collection.name: collection for collection in COLLECTIONS}
_BY_MODEL = {collection.model: collection for collection in COLLECTIONS}


# Content the public reads that is no collection of its own: the screener's guidance, which
# the screener's endpoints carry. Publishing, unpublishing or deleting it changes what the API
# shows, as an item of a collection does (`publication.py`), and its translations are drafts
# of their own (`translations.py`); partners' sync and webhooks follow collections only.
SUPPORTING_MODELS: tuple[type[Model], ...] = (ScreeningGuidance,)


def is_public_model(model: type[Model]) -> bool:
    """Whether the public reads items of `model`: a collection's, or a supporting model's."""
    return model in _BY_MODEL or model in SUPPORTING_MODELS


def by_name(name: str) -> Collection:
    """The collection of that name; KeyError if there is none."""
    return _BY_NAME[name]


def for_model(model: type[Model]) -> Collection | None:
    """The collection whose items are of `model`, or None for a model the public never reads."""
    return _BY_MODEL.get(model)


def related(relation: Relation) -> Collection:
    """The collection a relation leads to."""
    return _BY_NAME[relation.collection]


def readable(may_read: Callable[[str], bool]) -> Iterator[Collection]:
    """The collections a reader may use, in order (`may_read` tells by a collection's name)."""
    return (collection for collection in COLLECTIONS if may_read(collection.name))
