"""The screener: `GET /api/v1/screening/` (the questionnaire) and
`POST /api/v1/screening/evaluate/` (an evaluation that keeps nothing), on the demo content."""

import json
import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from content_models.models import EligibilityRule, ScreeningGuidance
from tests.factories.syndication import PartnerFactory, api_key_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]

QUESTIONNAIRE = "/api/v1/screening/"
EVALUATE = "/api/v1/screening/evaluate/"
PROBLEM = "application/problem+json"


def everything_fine(api) -> dict:
    """From the questionnaire: for every question, an answer that leads to
    `possible_candidate`."""
    answers = {}
    for question in api.get(QUESTIONNAIRE).json()["questions"]:
        if question["answer_type"] == "number":
            answers[question["id"]] = next(
                r["minimum"]
                for r in question["number_ranges"]
                if r["outcome"] == "possible_candidate"
            )
        else:
            answers[question["id"]] = next(
                o["value"] for o in question["options"] if o["outcome"] == "possible_candidate"
            )
    return answers


def evaluate(api, answers, **body):
    return api.post(EVALUATE, {"answers": answers, **body}, format="json")


def test_the_questionnaire_asks_every_rule_in_the_editors_order(api):
    questionnaire = api.get(QUESTIONNAIRE).json()

    rules = EligibilityRule.objects.filter(live=True, locale__language_code="en")
    assert [q["id"] for q in questionnaire["questions"]] == list(
        rules.order_by("position").values_list("slug", flat=True)
    )
    assert [o["value"] for o in questionnaire["outcomes"]] == [
        "urgent",
        "not_eligible",
        "clinician_review",
        "possible_candidate",
    ]
    assert "clinician" in questionnaire["disclaimer"]
    assert questionnaire["crisis_guidance"]["paragraphs"]


def test_moving_a_rule_moves_its_question(api):
    rule = EligibilityRule.objects.get(slug="current-medicines", locale__language_code="en")
    rule.position = 1
    rule.save_revision().publish()

    assert api.get(QUESTIONNAIRE).json()["questions"][0]["id"] == "current-medicines"


def test_each_question_says_where_every_answer_leads(api):
    questions = {q["id"]: q for q in api.get(QUESTIONNAIRE).json()["questions"]}

    assert questions["pregnancy"]["options"] == [
        {"value": "yes", "label": "Yes", "outcome": "not_eligible"},
        {"value": "no", "label": "No", "outcome": "possible_candidate"},
    ]
    assert questions["suicidal-thoughts"]["options"][0] == {
        "value": "yes",
        "label": "Yes",
        "outcome": "urgent",
    }
    assert questions["uncontrolled-high-blood-pressure"]["options"][2] == {
        "value": "untreated-or-uncontrolled",
        "label": "Yes, and it is not treated or not under control",
        "outcome": "not_eligible",
    }
    assert questions["current-medicines"]["number_ranges"] == [
        {"minimum": 0.0, "maximum": 0.0, "outcome": "possible_candidate"},
        {"minimum": 1.0, "maximum": None, "outcome": "clinician_review"},
    ]
    for question in questions.values():
        assert question["unsure"]["value"] == "unsure"
        assert question["unsure"]["outcome"] != "possible_candidate"
        assert question["not_answered_outcome"] != "possible_candidate"


def test_the_questionnaire_is_cached_and_validated_like_every_read(api):
    first = api.get(QUESTIONNAIRE)
    assert first.status_code == 200
    assert "s-maxage" in first["Cache-Control"]

    again = api.get(QUESTIONNAIRE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_publishing_guidance_changes_the_questionnaire_at_once(api):
    api.get(QUESTIONNAIRE)  # cached now
    guidance = ScreeningGuidance.objects.get(locale__language_code="en")
    guidance.disclaimer = "A clinician decides. Always."
    guidance.save_revision().publish()

    assert api.get(QUESTIONNAIRE).json()["disclaimer"] == "A clinician decides. Always."


def test_answers_that_leave_nothing_in_the_way_are_a_possible_candidate(api):
    result = evaluate(api, everything_fine(api)).json()

    assert result["outcome"] == "possible_candidate"
    assert result["unanswered"] == []
    assert result["crisis_guidance"] is None
    assert "clinician" in result["disclaimer"]


def test_pregnancy_is_not_eligible_with_its_reason_and_references(api):
    result = evaluate(api, {**everything_fine(api), "pregnancy": "yes"}).json()

    assert result["outcome"] == "not_eligible"
    (pregnancy,) = [r for r in result["results"] if r["id"] == "pregnancy"]
    assert pregnancy["triggered"] is True
    assert pregnancy["outcome"] == "not_eligible"
    assert "unborn baby" in pregnancy["reason"]
    assert [ref["slug"] for ref in pregnancy["references"]] == [
        "source-what-is-ketamine-infusion-therapy"
    ]


def test_suicidal_thoughts_are_urgent_and_bring_the_crisis_guidance(api):
    answers = {**everything_fine(api), "suicidal-thoughts": "yes", "pregnancy": "yes"}
    result = evaluate(api, answers).json()

    assert result["outcome"] == "urgent"
    guidance = ScreeningGuidance.objects.get(locale__language_code="en")
    assert result["crisis_guidance"]["heading"] == guidance.crisis_heading
    assert "emergency" in result["crisis_guidance"]["text"]


def test_unsure_and_left_out_answers_need_a_clinician(api):
    answers = {**everything_fine(api), "pregnancy": "unsure"}
    del answers["breastfeeding"]
    result = evaluate(api, answers).json()

    assert result["outcome"] == "clinician_review"
    assert result["unanswered"] == ["breastfeeding"]
    answered = {r["id"]: r["answered"] for r in result["results"]}
    assert answered["pregnancy"] == "unsure"
    assert answered["breastfeeding"] == "not_answered"


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({"no-such-question": "yes"}, "answers.no-such-question"),
        ({"pregnancy": 3}, "answers.pregnancy"),
        ({"current-medicines": "several"}, "answers.current-medicines"),
        ({"untreated-hyperthyroidism": "mild"}, "answers.untreated-hyperthyroidism"),
        ("yes", "answers"),
    ],
    ids=["unknown question", "wrong type", "not a number", "unknown option", "not an object"],
)
def test_an_answer_the_screener_cannot_take_is_a_400_naming_it(api, answers, named):
    response = evaluate(api, answers)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == [named]
    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"answers": {}, "name": "Ana"}, "name"),
        ({"locale": "fr", "answers": {}}, "locale"),
        ({"locale": "en"}, "answers"),
        ([], "body"),
    ],
)
def test_a_request_the_screener_cannot_read_is_a_400_naming_the_field(api, body, named):
    response = api.post(EVALUATE, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [named]


def test_a_body_that_is_not_json_is_a_400_problem(api):
    response = api.post(EVALUATE, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_an_evaluation_is_never_stored_nor_cached(api):
    answers = {**everything_fine(api), "pregnancy": "yes"}
    cached_before = set(cache_keys())

    with CaptureQueriesContext(connection) as queries:
        response = evaluate(api, answers)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert "ETag" not in response
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    # The response cache kept nothing (its keys are `api:v1:<generation>:<request>`); the
    # address's rate-limit counter is all that may be new.
    assert not [key for key in set(cache_keys()) - cached_before if "api:v1:" in key]


def cache_keys() -> list[str]:
    """This test process's keys in the Redis of this run (REDIS_URL): the other processes of
    the run store theirs under prefixes of their own (tests/cache.py)."""
    client = cache._cache.get_client()
    return [key.decode() for key in client.scan_iter(match=f"{cache.key_prefix}:*")]


def test_no_log_line_holds_an_answer(api, caplog):
    # Answers no log line could hold by chance: a number and option values of their own.
    answers = {
        **everything_fine(api),
        "current-medicines": 73519,
        "untreated-hyperthyroidism": "untreated",
        "uncontrolled-high-blood-pressure": "treated-and-controlled",
    }
    caplog.set_level(logging.DEBUG)

    assert evaluate(api, answers).status_code == 200
    refused = {**answers, "current-medicines": "73519 tablets", "pregnancy": "maybe-yes"}
    assert evaluate(api, refused).status_code == 400

    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "\n".join(str(record.args) for record in caplog.records)
    for value in ("73519", "treated-and-controlled", "maybe-yes", "tablets"):
        assert value not in logged
    assert "maybe-yes" not in json.dumps(evaluate(api, refused).json())


def test_a_browser_may_post_answers_from_another_site(api):
    response = api.options(
        EVALUATE,
        HTTP_ORIGIN="https://clinic.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "content-type" in response["Access-Control-Allow-Headers"]


def test_evaluations_are_rate_limited_like_every_call(api, settings):
    cache.clear()
    settings.API_RATE_LIMITS = {"anonymous": "2/day", "standard": "5/day", "premium": "8/day"}
    statuses = [evaluate(api, {}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_partner_not_licensed_for_eligibility_rules_has_no_screener(api):
    key = {"HTTP_X_API_KEY": api_key_for(PartnerFactory(collections=["faqs"]))}

    assert api.get(QUESTIONNAIRE, **key).status_code == 404
    assert api.post(EVALUATE, {"answers": {}}, format="json", **key).status_code == 404


def test_without_published_guidance_the_screener_does_not_answer(api):
    for guidance in ScreeningGuidance.objects.all():
        guidance.unpublish()

    assert api.get(QUESTIONNAIRE).status_code == 503
    response = evaluate(api, {"pregnancy": "yes"})
    assert response.status_code == 503
    assert response["Content-Type"] == PROBLEM


def test_a_language_without_guidance_gets_the_default_crisis_guidance(api):
    questionnaire = api.get(QUESTIONNAIRE, {"locale": "es"}).json()

    assert questionnaire["locale"] == "es"
    assert questionnaire["questions"] == []  # the demo content has no Spanish rules yet
    assert questionnaire["crisis_guidance"]["locale"] == "en"


def test_translated_guidance_is_a_draft_until_published_then_speaks_its_language(api):
    english = ScreeningGuidance.objects.get(locale__language_code="en")
    spanish = english.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.save()
    assert not spanish.live  # a draft of its own, as every translation

    assert api.get(QUESTIONNAIRE, {"locale": "es"}).json()["crisis_guidance"]["locale"] == "en"

    spanish.crisis_heading = "Si está en peligro ahora"
    spanish.unsure_label = "No estoy seguro"
    spanish.save_revision().publish()

    questionnaire = api.get(QUESTIONNAIRE, {"locale": "es"}).json()
    assert questionnaire["crisis_guidance"]["locale"] == "es"
    assert questionnaire["crisis_guidance"]["heading"] == "Si está en peligro ahora"
