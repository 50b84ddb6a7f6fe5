"""`/api/v1/conditions/`: the conditions ketamine therapy is used for, and the evidence.

The list and the `treatment-resistant-depression` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models import enums
from tests.factories import ConditionFactory

from .collection_contract import ReviewedCollectionContract
from .helpers import assert_filter_keeps_only, assert_ordered_by_meaning, list_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestConditionsContract(ReviewedCollectionContract):
    collection = "conditions"
    representative = "treatment-resistant-depression"


def test_conditions_filter_by_evidence_strength(api):
    assert_filter_keeps_only(
        api,
        "conditions",
        {"evidence_strength": "emerging"},
        lambda item: item["evidence_strength"] == "emerging",
    )


def test_conditions_filter_by_evidence_strength_and_treatment_form(api):
    # Every demo condition is treated by every form: one treated by none tells.
    ConditionFactory(slug="untreated", evidence_strength="emerging")

    assert_filter_keeps_only(
        api,
        "conditions",
        {"evidence_strength": "emerging", "treatment_form": "nasal-spray"},
        lambda item: (
            item["evidence_strength"] == "emerging" and "nasal-spray" in item["treatment_forms"]
        ),
    )


def test_conditions_order_by_evidence_strength_strongest_first(api):
    ascending = [
        i["evidence_strength"] for i in list_all(api, "conditions", ordering="evidence_strength")
    ]
    descending = [
        i["evidence_strength"] for i in list_all(api, "conditions", ordering="-evidence_strength")
    ]

    assert_ordered_by_meaning(ascending, descending, enums.EvidenceStrength)
