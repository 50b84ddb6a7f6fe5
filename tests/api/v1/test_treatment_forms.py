"""`/api/v1/treatment-forms/`: the ways ketamine is given, with their side effects, rules and
the conditions they are used for.

The list and the `iv-infusion` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models import enums
from content_models.models import TreatmentForm, TreatmentProcessStep
from tests.factories import ConditionFactory, TreatmentFormFactory, apply_to

from .collection_contract import ReviewedCollectionContract
from .helpers import assert_filter_keeps_only, assert_ordered_by_meaning, get_json, list_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestTreatmentFormsContract(ReviewedCollectionContract):
    collection = "treatment-forms"
    representative = "iv-infusion"


def test_treatment_forms_filter_by_route(api):
    assert_filter_keeps_only(
        api, "treatment-forms", {"route": "intranasal"}, lambda item: item["route"] == "intranasal"
    )


def test_treatment_forms_filter_by_where_they_are_given(api):
    assert_filter_keeps_only(
        api,
        "treatment-forms",
        {"setting": "supervised_at_home"},
        lambda item: "supervised_at_home" in item["settings"],
    )


def test_treatment_forms_filter_by_a_condition_they_are_used_for(api):
    # A condition only the infusion treats tells the filter apart.
    condition = ConditionFactory(slug="only-by-infusion")
    apply_to(condition, TreatmentForm.objects.get(slug="iv-infusion"))

    assert_filter_keeps_only(
        api,
        "treatment-forms",
        {"condition": "only-by-infusion"},
        lambda item: "only-by-infusion" in item["conditions"],
    )


def test_treatment_forms_order_by_route_in_its_declared_order(api):
    ascending = [item["route"] for item in list_all(api, "treatment-forms", ordering="route")]
    descending = [item["route"] for item in list_all(api, "treatment-forms", ordering="-route")]

    assert_ordered_by_meaning(ascending, descending, enums.Route)


def test_treatment_forms_order_by_session_length_either_way(api):
    TreatmentFormFactory(session_minutes_min=20, session_minutes_max=30)
    TreatmentFormFactory(session_minutes_min=90, session_minutes_max=120)

    def shortest_sessions(ordering):
        forms = list_all(api, "treatment-forms", ordering=ordering)
        # Forms with no session length (taken at home) have nothing to compare.
        minutes = (form["session_length"]["minimum"] for form in forms)
        return [minimum for minimum in minutes if minimum is not None]

    assert shortest_sessions("session_length") == [20, 40, 90]
    assert shortest_sessions("-session_length") == [90, 40, 20]


def test_treatment_form_gives_session_and_course_as_numbers_with_units(api):
    form = get_json(api, "/api/v1/treatment-forms/iv-infusion/")

    assert form["route"] == "intravenous"
    assert form["session_length"] == {"minimum": 40, "maximum": 60, "unit": "minutes"}
    assert form["course"]["duration"]["unit"] == "weeks"
    assert form["settings"] == ["clinic"]
    assert form["process_steps"][0]["phase"] == "before"


def test_a_form_shows_its_regulatory_status_its_basis_and_its_citation(api):
    iv = get_json(api, "/api/v1/treatment-forms/iv-infusion/", expand="regulatory_reference")

    assert (iv["regulatory_status"], iv["regulatory_status_basis"]) == ("off_label", "editorial")
    assert "off-label" in iv["regulatory_note"]
    assert iv["regulatory_reference"]["slug"] == "fda-compounded-ketamine-warning-2023"
    assert iv["regulatory_reference"]["source_url"].startswith("https://www.fda.gov/")
    assert iv["settings"] == ["clinic"]
    plain = get_json(api, "/api/v1/treatment-forms/iv-infusion/")
    assert plain["regulatory_reference"] == "fda-compounded-ketamine-warning-2023"


def test_a_form_no_source_places_has_no_settings_and_no_basis(api):
    TreatmentFormFactory(slug="unplaced", given_in_clinic=False, given_at_home=False)

    unplaced = get_json(api, "/api/v1/treatment-forms/unplaced/")

    assert (unplaced["settings"], unplaced["settings_basis"]) == ([], None)
    assert (unplaced["regulatory_status"], unplaced["regulatory_reference"]) == (None, None)


def test_a_regulatory_citation_that_is_not_live_is_not_shown(api):
    form = TreatmentForm.objects.get(slug="iv-infusion")
    form.regulatory_reference.unpublish()

    assert get_json(api, "/api/v1/treatment-forms/iv-infusion/")["regulatory_reference"] is None


def test_treatment_forms_filter_by_regulatory_status(api):
    assert_filter_keeps_only(
        api,
        "treatment-forms",
        {"regulatory_status": "off_label"},
        lambda item: item["regulatory_status"] == "off_label",
    )


def test_process_steps_say_whether_a_source_or_the_editor_gives_them(api):
    form = TreatmentFormFactory(slug="stepped")
    TreatmentProcessStep.objects.create(
        treatment_form=form,
        sort_order=0,
        phase="before",
        title="Sourced",
        description="a",
        basis="source",
    )
    TreatmentProcessStep.objects.create(
        treatment_form=form, sort_order=1, phase="after", title="Advice", description="b"
    )

    steps = get_json(api, "/api/v1/treatment-forms/stepped/")["process_steps"]

    # A step nobody has said a source gives is the editor's.
    assert [(step["title"], step["basis"]) for step in steps] == [
        ("Sourced", "source"),
        ("Advice", "editorial"),
    ]
