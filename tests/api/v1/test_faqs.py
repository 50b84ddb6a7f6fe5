"""`/api/v1/faqs/`: questions patients ask, answered in plain words.

The list and the `what-is-ketamine` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import pytest

from content_models import enums

from .collection_contract import ReviewedCollectionContract
from .helpers import assert_filter_keeps_only, assert_ordered_by_meaning, get_json, list_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


class TestFaqsContract(ReviewedCollectionContract):
    collection = "faqs"
    representative = "what-is-ketamine"


def test_faq_list_pages_twenty_at_a_time_by_default(api):
    listing = get_json(api, "/api/v1/faqs/")

    assert listing["count"] > 20
    assert len(listing["results"]) == 20
    assert listing["next"] == "http://testserver/api/v1/faqs/?limit=20&offset=20"


def test_faqs_filter_by_topic(api):
    assert_filter_keeps_only(
        api,
        "faqs",
        {"topic": ["side_effects", "eligibility"]},
        lambda item: item["topic"] in ("side_effects", "eligibility"),
    )


def test_faqs_order_by_topic_in_the_order_topics_are_told(api):
    ascending = [item["topic"] for item in list_all(api, "faqs", ordering="topic")]
    descending = [item["topic"] for item in list_all(api, "faqs", ordering="-topic")]

    assert_ordered_by_meaning(ascending, descending, enums.FaqTopic)


def test_faq_answer_is_html_a_browser_renders(api):
    answer = get_json(api, "/api/v1/faqs/what-is-ketamine/")["answer"]

    assert answer.startswith("<p>Ketamine is a medicine first developed as an anaesthetic")
