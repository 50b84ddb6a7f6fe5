"""`/api/v1/conditions/`: the conditions ketamine therapy is used for, and the evidence.

The list and the `treatment-resistant-depression` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models import enums
from content_models.models import TreatmentForm
from tests.factories import ConditionFactory, apply_to

from .collection_contract import ReviewedCollectionContract
from .helpers import assert_filter_keeps_only, assert_ordered_by_meaning, get_json, list_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestConditionsContract(ReviewedCollectionContract):
    collection = "conditions"
    representative = "treatment-resistant-depression"


def test_conditions_filter_by_evidence_strength(api):
    # No source grades the evidence for a demo condition: these are an editor's.
    ConditionFactory(slug="graded-emerging", evidence_strength="emerging")
    ConditionFactory(slug="graded-strong", evidence_strength="strong")

    assert_filter_keeps_only(
        api,
        "conditions",
        {"evidence_strength": "emerging"},
        lambda item: item["evidence_strength"] == "emerging",
    )


def test_conditions_filter_by_evidence_strength_and_treatment_form(api):
    apply_to(
        ConditionFactory(slug="by-spray", evidence_strength="emerging"),
        TreatmentForm.objects.get(slug="nasal-spray"),
    )
    ConditionFactory(slug="untreated", evidence_strength="emerging")

    assert_filter_keeps_only(
        api,
        "conditions",
        {"evidence_strength": "emerging", "treatment_form": "nasal-spray"},
        lambda item: (
            item["evidence_strength"] == "emerging" and "nasal-spray" in item["treatment_forms"]
        ),
    )


def test_conditions_order_by_evidence_strength_strongest_first_ungraded_last(api):
    ConditionFactory(evidence_strength="strong")
    ConditionFactory(evidence_strength="moderate")
    ascending = [
        i["evidence_strength"] for i in list_all(api, "conditions", ordering="evidence_strength")
    ]
    descending = [
        i["evidence_strength"] for i in list_all(api, "conditions", ordering="-evidence_strength")
    ]

    assert_ordered_by_meaning(ascending, descending, enums.EvidenceStrength)


def test_an_ungraded_condition_shows_no_strength_and_no_basis(api):
    ConditionFactory(slug="ungraded", evidence_strength="")

    condition = get_json(api, "/api/v1/conditions/ungraded/")

    assert (condition["evidence_strength"], condition["evidence_strength_basis"]) == (None, None)


def test_an_editors_grading_is_shown_as_editorial(api):
    ConditionFactory(
        slug="graded", evidence_strength="moderate", evidence_strength_basis="editorial"
    )
    condition = get_json(api, "/api/v1/conditions/graded/")

    assert (condition["evidence_strength"], condition["evidence_strength_basis"]) == (
        "moderate",
        "editorial",
    )
