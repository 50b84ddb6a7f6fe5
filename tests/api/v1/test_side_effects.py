"""`/api/v1/side-effects/`: how often, how strongly and when, for which treatment forms.

The list and the `nausea` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models import enums
from tests.factories import SideEffectFactory

from .collection_contract import ReviewedCollectionContract
from .helpers import assert_filter_keeps_only, assert_ordered_by_meaning, get_json, list_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestSideEffectsContract(ReviewedCollectionContract):
    collection = "side-effects"
    representative = "nausea"


@pytest.mark.parametrize(
    ("field", "value"), [("frequency", "rare"), ("severity", "mild"), ("timing", "long_term")]
)
def test_side_effects_filter_by_their_structured_values(api, field, value):
    assert_filter_keeps_only(api, "side-effects", {field: value}, lambda item: item[field] == value)


def test_side_effects_filter_by_several_values_of_one_field(api):
    assert_filter_keeps_only(
        api,
        "side-effects",
        {"frequency": ["rare", "uncommon"]},
        lambda item: item["frequency"] in ("rare", "uncommon"),
    )


def test_side_effects_filter_by_frequency_and_treatment_form(api):
    assert_filter_keeps_only(
        api,
        "side-effects",
        {"frequency": "common", "treatment_form": "iv-infusion"},
        lambda item: item["frequency"] == "common" and "iv-infusion" in item["treatment_forms"],
    )


@pytest.mark.parametrize(
    ("field", "choices"),
    [("frequency", enums.Frequency), ("severity", enums.Severity), ("timing", enums.Timing)],
)
def test_side_effects_order_by_the_meaning_of_a_structured_value_either_way(api, field, choices):
    SideEffectFactory(frequency="uncommon", severity="severe", timing="after")
    ascending = [item[field] for item in list_all(api, "side-effects", ordering=field)]
    descending = [item[field] for item in list_all(api, "side-effects", ordering=f"-{field}")]

    assert_ordered_by_meaning(ascending, descending, choices)


def test_a_classification_no_source_gives_is_null_and_says_so(api):
    SideEffectFactory(slug="unclassified", frequency="", severity="mild")

    unclassified = get_json(api, "/api/v1/side-effects/unclassified/")

    assert (unclassified["frequency"], unclassified["frequency_basis"]) == (None, None)
    assert (unclassified["severity"], unclassified["severity_basis"]) == ("mild", "source")


def test_an_editors_classification_is_shown_as_editorial(api):
    SideEffectFactory(slug="judged", frequency="uncommon", frequency_basis="editorial")

    judged = get_json(api, "/api/v1/side-effects/judged/")

    assert (judged["frequency"], judged["frequency_basis"]) == ("uncommon", "editorial")
