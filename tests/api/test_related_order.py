"""Related items come in an order that means something, the same on every request."""

import pytest

from content_models.models import SideEffectReference, SideEffectTreatmentForm
from tests.factories import ReferenceFactory, SideEffectFactory, TreatmentFormFactory

pytestmark = pytest.mark.django_db


def test_a_side_effect_lists_its_references_in_the_editors_order(api):
    first, second = ReferenceFactory(slug="zeta-trial"), ReferenceFactory(slug="alpha-review")
    side_effect = SideEffectFactory(slug="nausea")
    side_effect.reference_links = [
        SideEffectReference(reference=first, sort_order=0),
        SideEffectReference(reference=second, sort_order=1),
    ]
    side_effect.save()
    assert api.get("/api/v1/side-effects/nausea/").json()["references"] == [
        "zeta-trial",
        "alpha-review",
    ]


def test_a_treatment_form_lists_its_side_effects_by_name(api):
    form = TreatmentFormFactory(slug="iv-infusion")
    for name, slug in [("Nausea", "nausea"), ("Dizziness", "dizziness")]:
        side_effect = SideEffectFactory(name=name, slug=slug)
        # Each side effect lists the form first in its own list: that order is not the form's.
        side_effect.treatment_form_links = [SideEffectTreatmentForm(treatment_form=form)]
        side_effect.save()
    assert api.get("/api/v1/treatment-forms/iv-infusion/").json()["side_effects"] == [
        "dizziness",
        "nausea",
    ]


def test_items_that_tie_on_the_ordering_field_come_in_one_stable_order(api):
    first, second, third = (SideEffectFactory(frequency="common") for _ in range(3))
    first.summary = "Rewritten, so the database stores this row after the others."
    first.save()
    expected = [first.slug, second.slug, third.slug]

    for ordering in ("frequency", "-frequency"):
        pages = [
            api.get(f"/api/v1/side-effects/?ordering={ordering}&limit=1&offset={offset}").json()
            for offset in range(3)
        ]
        assert [page["results"][0]["slug"] for page in pages] == expected
