"""`/api/v1/reviewers/`: the clinicians who review the content.

The list and the `demo-medical-reviewer` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from tests.factories import MedicalReviewerFactory

from .collection_contract import UnreviewedCollectionContract
from .helpers import get_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestReviewersContract(UnreviewedCollectionContract):
    collection = "reviewers"
    representative = "demo-medical-reviewer"


def test_reviewer_shows_credentials_and_bio_but_not_the_admin_account(api):
    reviewer = get_json(api, "/api/v1/reviewers/demo-medical-reviewer/")

    assert reviewer["title"] == "Demo Medical Reviewer"
    assert reviewer["specialty"] == "Psychiatry"
    assert reviewer["summary"] == reviewer["bio"]
    assert "user" not in reviewer


def test_the_demo_reviewer_says_it_is_a_demo_and_a_real_one_does_not(api):
    MedicalReviewerFactory(slug="dr-ada")

    assert get_json(api, "/api/v1/reviewers/demo-medical-reviewer/")["is_demo"] is True
    assert get_json(api, "/api/v1/reviewers/dr-ada/")["is_demo"] is False
