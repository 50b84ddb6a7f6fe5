"""Each language is served on its own: a relation or an expansion never brings an item of
another language, and a translated set is complete in its language."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale

from tests.factories import (
    FAQFactory,
    MedicalReviewerFactory,
    ReferenceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    apply_to,
    cite,
)

from .helpers import get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish():
    return Locale.objects.get(language_code="es")


def publish_every_draft_in(locale, *models):
    for model in models:
        for item in model.objects.filter(locale=locale, live=False):
            item.save_revision().publish()


def test_an_item_never_shows_a_related_item_of_another_language(api, spanish):
    # As a translation made before relations followed their language left them: a Spanish
    # side effect applying to the English form, citing an English reference, named as
    # reviewed by an English profile.
    form = TreatmentFormFactory(slug="iv-infusion")
    english_reference = ReferenceFactory(slug="english-trial")
    apply_to(SideEffectFactory(slug="nausea", name="Nausea"), form)
    spanish_side_effect = SideEffectFactory(
        slug="nausea", name="Náuseas", locale=spanish, reviewed_by=MedicalReviewerFactory()
    )
    apply_to(spanish_side_effect, form)
    cite(spanish_side_effect, english_reference)

    english_form = get_json(api, "/api/v1/treatment-forms/iv-infusion/", expand="side_effects")
    spanish_detail = get_json(
        api, "/api/v1/side-effects/nausea/", locale="es", expand="treatment_forms,references"
    )
    spanish_list = get_json(api, "/api/v1/side-effects/", locale="es", expand="reviewed_by")
    spanish_jsonld = get_json(api, "/api/v1/side-effects/nausea/", locale="es", format="jsonld")

    assert [item["title"] for item in english_form["side_effects"]] == ["Nausea"]
    assert spanish_detail["treatment_forms"] == []
    assert "english-trial" not in [reference["slug"] for reference in spanish_detail["references"]]
    assert spanish_list["results"][0]["reviewed_by"] is None
    assert "reviewedBy" not in spanish_jsonld
    assert "english-trial" not in str(spanish_jsonld)


def test_a_translated_set_is_served_whole_in_its_language(api, spanish):
    form = TreatmentFormFactory(slug="iv-infusion", name="IV infusion")
    reference = cite(form, ReferenceFactory(slug="infusion-trial"))
    side_effect = SideEffectFactory(slug="nausea", name="Nausea")
    side_effect.reference_links.all().delete()
    cite(side_effect, reference)
    apply_to(side_effect, form)
    faq = FAQFactory(slug="is-it-safe")
    cite(faq, reference)

    # An editor translates the side effect and the FAQ; the form and the reference they
    # relate to are translated along with them. Reviewers approve each.
    for item in (side_effect, faq):
        translation = item.copy_for_translation(spanish)
        translation.save()
    form_translation = form.get_translation(spanish)
    form_translation.name = "Infusión intravenosa"
    form_translation.save()
    publish_every_draft_in(spanish, *{type(item) for item in (form, reference, side_effect, faq)})

    spanish_form = get_json(
        api, "/api/v1/treatment-forms/iv-infusion/", locale="es", expand="side_effects"
    )
    spanish_forms = get_json(api, "/api/v1/treatment-forms/", locale="es")
    english_form = get_json(api, "/api/v1/treatment-forms/iv-infusion/")

    assert spanish_form["title"] == "Infusión intravenosa"
    assert [item["locale"] for item in spanish_form["side_effects"]] == ["es"]
    assert spanish_form["references"] == [reference.slug]
    assert [item["slug"] for item in spanish_forms["results"]] == ["iv-infusion"]
    assert english_form["side_effects"] == ["nausea"]
    assert english_form["title"] == "IV infusion"
    faq_es = get_json(api, "/api/v1/faqs/is-it-safe/", locale="es", expand="references")
    assert [item["locale"] for item in faq_es["references"]] == ["es"]


def test_a_translation_has_publication_dates_of_its_own(api, spanish):
    long_ago = timezone.now() - datetime.timedelta(days=900)
    side_effect = SideEffectFactory(slug="nausea", first_published_at=long_ago)
    translation = side_effect.copy_for_translation(spanish)
    translation.save()
    translation.save_revision().publish()

    english = get_json(api, "/api/v1/side-effects/nausea/")
    spanish_item = get_json(api, "/api/v1/side-effects/nausea/", locale="es")

    assert datetime.datetime.fromisoformat(english["first_published_at"]) == long_ago
    first_published = datetime.datetime.fromisoformat(spanish_item["first_published_at"])
    assert timezone.now() - first_published < datetime.timedelta(minutes=1)
