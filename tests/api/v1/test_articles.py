"""`/api/v1/articles/`: patient articles, their body delivered block by block.

The list and the `what-to-expect-iv-ketamine` detail are compared with stored snapshots;
after an intended change to the output, rewrite them and review the diff:

    UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/api/v1
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from content_models.models import SideEffect

from .collection_contract import ReviewedCollectionContract
from .helpers import get_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]

ARTICLE = "/api/v1/articles/what-to-expect-iv-ketamine/"


class TestArticlesContract(ReviewedCollectionContract):
    collection = "articles"
    representative = "what-to-expect-iv-ketamine"


def test_article_body_comes_in_the_detail_only(api):
    listed = get_json(api, "/api/v1/articles/")["results"]

    assert all("body" not in item for item in listed)
    assert get_json(api, ARTICLE)["body"]


def test_article_body_embeds_items_as_their_api_data(api):
    body = get_json(api, ARTICLE)["body"]
    blocks = {block["type"]: block["value"] for block in body}

    assert blocks["treatment_form"]["type"] == "treatment-form"
    assert (
        blocks["treatment_form"]["url"] == "http://testserver/api/v1/treatment-forms/iv-infusion/"
    )
    assert {item["type"] for item in blocks["side_effect_list"]["items"]} == {"side-effect"}
    assert {item["type"] for item in blocks["eligibility_rule_list"]["items"]} == {
        "eligibility-rule"
    }
    assert {item["type"] for item in blocks["faq_list"]["items"]} == {"faq"}
    assert {item["type"] for item in blocks["citations"]} == {"reference"}
    assert "linktype" not in str(body)


def test_an_embedded_item_reaching_its_expiry_leaves_the_body_at_once(api, monkeypatch):
    def embedded_side_effects() -> list[str]:
        cache.clear()
        body = get_json(api, ARTICLE)["body"]
        block = next(block for block in body if block["type"] == "side_effect_list")
        return [item["slug"] for item in block["value"]["items"]]

    expiring = SideEffect.objects.get(slug=embedded_side_effects()[0])
    expiring.expire_at = timezone.now() + datetime.timedelta(hours=1)
    expiring.save()
    assert expiring.slug in embedded_side_effects()

    # Nothing is saved when the expiry date comes; only the clock moves past it.
    after_expiry = expiring.expire_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after_expiry)

    assert expiring.slug not in embedded_side_effects()
