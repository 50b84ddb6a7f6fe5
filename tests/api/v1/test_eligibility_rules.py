"""`/api/v1/eligibility-rules/`: screening questions and the outcome their answers lead to.

The list and the `pregnancy` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models import enums
from content_models.models import EligibilityRule
from tests.factories import TreatmentFormFactory, apply_to

from .collection_contract import ReviewedCollectionContract
from .helpers import assert_filter_keeps_only, assert_ordered_by_meaning, get_json, list_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestEligibilityRulesContract(ReviewedCollectionContract):
    collection = "eligibility-rules"
    representative = "pregnancy"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "absolute_contraindication"),
        ("kind", "indication"),
        ("outcome", "clinician_review"),
    ],
)
def test_eligibility_rules_filter_by_kind_or_outcome(api, field, value):
    assert_filter_keeps_only(
        api, "eligibility-rules", {field: value}, lambda item: item[field] == value
    )


def test_eligibility_rules_filter_by_the_answer_their_question_takes(api):
    assert_filter_keeps_only(
        api,
        "eligibility-rules",
        {"answer_type": "number"},
        lambda item: item["question"]["answer_type"] == "number",
    )


def test_eligibility_rules_filter_by_kind_and_treatment_form(api):
    # Every demo rule applies to every form: a form only one rule applies to tells.
    form = TreatmentFormFactory(slug="trial-form")
    apply_to(EligibilityRule.objects.get(slug="pregnancy"), form)
    apply_to(EligibilityRule.objects.get(slug="current-medicines"), form)

    assert_filter_keeps_only(
        api,
        "eligibility-rules",
        {"kind": "absolute_contraindication", "treatment_form": "trial-form"},
        lambda item: (
            item["kind"] == "absolute_contraindication" and "trial-form" in item["treatment_forms"]
        ),
    )


@pytest.mark.parametrize(
    ("field", "choices"), [("kind", enums.RuleKind), ("outcome", enums.ScreeningOutcome)]
)
def test_eligibility_rules_order_by_the_meaning_of_kind_or_outcome(api, field, choices):
    ascending = [item[field] for item in list_all(api, "eligibility-rules", ordering=field)]
    descending = [item[field] for item in list_all(api, "eligibility-rules", ordering=f"-{field}")]

    assert_ordered_by_meaning(ascending, descending, choices)


def test_eligibility_rule_question_can_be_evaluated_by_a_program(api):
    rule = get_json(api, "/api/v1/eligibility-rules/pregnancy/")

    assert rule["kind"] == "absolute_contraindication"
    assert rule["outcome"] == "not_eligible"
    assert rule["question"]["answer_type"] == "yes_no"
    assert rule["question"]["triggering_answer"] is True
    assert rule["question"]["outcome_if_yes"] == "not_eligible"
    assert rule["question"]["required"] is True


def test_eligibility_rules_are_listed_in_the_questionnaires_order(api):
    positions = [item["question"]["position"] for item in list_all(api, "eligibility-rules")]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "params",
    [
        # Filters that can match an item through more than one value or link, with an order
        # or a search ranking that PostgreSQL cannot apply to a DISTINCT selection.
        {"outcome": ["urgent", "not_eligible"], "ordering": "kind"},
        {"kind": ["absolute_contraindication", "precaution"], "ordering": "-outcome,title"},
        {"treatment_form": "iv-infusion", "ordering": "outcome"},
        {"kind": ["absolute_contraindication", "precaution"], "search": "pregnant"},
        {"treatment_form": "iv-infusion", "search": "pregnant"},
    ],
)
def test_repeatable_filters_combine_with_any_ordering_and_with_search(api, params):
    unfiltered = list_all(
        api,
        "eligibility-rules",
        **{name: value for name, value in params.items() if name in ("ordering", "search")},
    )
    kinds, outcomes = params.get("kind"), params.get("outcome")
    expected = [
        item["slug"]
        for item in unfiltered
        if (kinds is None or item["kind"] in kinds)
        and (outcomes is None or item["outcome"] in outcomes)
        and ("treatment_form" not in params or params["treatment_form"] in item["treatment_forms"])
    ]

    filtered = list_all(api, "eligibility-rules", **params)

    assert expected
    assert [item["slug"] for item in filtered] == expected
