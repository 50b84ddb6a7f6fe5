"""`/api/v1/references/`: the published sources that clinical statements cite.

The list and the `mayo-clinic-g2k-trial` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from tests.factories import ReferenceFactory

from .collection_contract import UnreviewedCollectionContract
from .helpers import assert_filter_keeps_only, get_json, list_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestReferencesContract(UnreviewedCollectionContract):
    collection = "references"
    representative = "mayo-clinic-g2k-trial"


@pytest.mark.parametrize(
    ("params", "keeps"),
    [
        ({"kind": "news"}, lambda item: item["kind"] == "news"),
        ({"year": 2026}, lambda item: item["year"] == 2026),
        ({"kind": "institutional_page", "year": 2026}, lambda item: item["year"] == 2026),
    ],
    ids=["kind", "year", "kind and year"],
)
def test_references_filter_by_kind_and_year(api, params, keeps):
    assert_filter_keeps_only(api, "references", params, keeps)


def test_references_order_by_year_either_way(api):
    ReferenceFactory(year=2001)
    ReferenceFactory(year=2020)

    ascending = [i["year"] for i in list_all(api, "references", ordering="year")]
    descending = [i["year"] for i in list_all(api, "references", ordering="-year")]

    # References without a year come last either way.
    dated = [year for year in ascending if year is not None]
    # The demo content's: the FDA's (2019, 2022, 2023), the G2K registration (2024) and the
    # one seed article that gives its date (2026).
    assert dated == [2001, 2019, 2020, 2022, 2023, 2024, 2026]
    assert ascending == [*dated, *[None] * (len(ascending) - len(dated))]
    assert descending == [*dated[::-1], *[None] * (len(ascending) - len(dated))]


def test_references_order_by_publisher_either_way(api):
    ascending = [i["publisher"] for i in list_all(api, "references", ordering="publisher")]
    descending = [i["publisher"] for i in list_all(api, "references", ordering="-publisher")]

    assert len(set(ascending)) > 1
    assert descending == ascending[::-1]


def test_reference_gives_its_identifiers_and_source_address_apart_from_its_api_url(api):
    reference = ReferenceFactory(
        slug="berman-2000", doi="10.1016/s0006-3223(99)00230-9", pmid="10686270"
    )

    item = get_json(api, f"/api/v1/references/{reference.slug}/")

    assert item["source_url"] == "https://example.org/trial"
    assert item["url"] == "http://testserver/api/v1/references/berman-2000/"
    assert (item["doi"], item["pmid"], item["trial_id"]) == (reference.doi, "10686270", None)
