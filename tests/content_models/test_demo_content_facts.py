"""Every category of fact in the five source articles is in the demo content, as data."""

import pytest
from wagtail.models import Page

from content_models.enums import Frequency, ReviewStatus, RuleKind, ScreeningOutcome, Timing
from content_models.models import (
    FAQ,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)
from content_models.screening import evaluate, parse_answers, question_from_rule

CLINICAL_MODELS = [TreatmentForm, SideEffect, EligibilityRule, Condition, FAQ, ArticlePage]


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


def test_the_four_forms_are_there_with_their_routes_and_settings():
    forms = {form.slug: form for form in TreatmentForm.objects.filter(live=True)}
    assert {slug: form.route for slug, form in forms.items()} == {
        "iv-infusion": "intravenous",
        "im-injection": "intramuscular",
        "nasal-spray": "intranasal",
        "sublingual-troches": "sublingual",
    }
    assert forms["nasal-spray"].given_at_home and forms["nasal-spray"].given_in_clinic
    assert forms["sublingual-troches"].given_at_home


def test_iv_infusion_carries_session_length_course_onset_and_process():
    iv = TreatmentForm.objects.get(slug="iv-infusion")
    assert (iv.session_minutes_min, iv.session_minutes_max) == (40, 60)
    assert (iv.course_sessions, iv.course_weeks_min, iv.course_weeks_max) == (6, 2, 3)
    assert "2–3 sessions" in iv.usual_onset
    assert "weight" in iv.dose_basis
    assert "blood pressure" in iv.monitoring_during
    assert "15 minutes" in iv.monitoring_after
    assert "maintenance" in iv.maintenance
    phases = [step.phase for step in iv.process_steps.all()]
    assert phases == sorted(phases, key=["before", "during", "after", "follow_up"].index)
    assert {"before", "during", "after"} <= set(phases)


def test_session_length_keeps_every_sources_figure_within_the_structured_range():
    answer = FAQ.objects.get(slug="how-long-does-a-session-last").answer
    assert "about 45 minutes to an hour" in answer
    assert "about 40 minutes" in answer


def test_the_clinics_supportive_setting_is_part_of_the_iv_process():
    during = TreatmentForm.objects.get(slug="iv-infusion").process_steps.filter(phase="during")
    assert any(
        "supportive" in step.description and "reassured" in step.description for step in during
    )


def test_every_side_effect_named_in_the_sources_is_there_with_frequency_and_timing():
    side_effects = {item.slug: item for item in SideEffect.objects.filter(live=True)}
    assert set(side_effects) >= {
        "dissociation",
        "dizziness",
        "nausea",
        "raised-blood-pressure",
        "perceptual-changes",
        "feelings-of-unreality",
        "mild-anxiety-during-infusion",
        "cognitive-changes",
        "bladder-problems",
    }
    assert (side_effects["dissociation"].frequency, side_effects["dissociation"].timing) == (
        Frequency.COMMON,
        Timing.DURING,
    )
    for long_term in ("cognitive-changes", "bladder-problems"):
        assert side_effects[long_term].frequency == Frequency.RARE
        assert side_effects[long_term].timing == Timing.LONG_TERM
    iv = TreatmentForm.objects.get(slug="iv-infusion")
    assert side_effects["nausea"].treatment_form_links.filter(treatment_form=iv).exists()


@pytest.mark.parametrize(
    ("slug", "answer", "kind", "outcome"),
    [
        ("pregnancy", "yes", RuleKind.ABSOLUTE_CONTRAINDICATION, ScreeningOutcome.NOT_ELIGIBLE),
        ("breastfeeding", "yes", RuleKind.ABSOLUTE_CONTRAINDICATION, ScreeningOutcome.NOT_ELIGIBLE),
        (
            "uncontrolled-high-blood-pressure",
            "untreated-or-uncontrolled",
            RuleKind.ABSOLUTE_CONTRAINDICATION,
            ScreeningOutcome.NOT_ELIGIBLE,
        ),
        (
            "untreated-hyperthyroidism",
            "untreated",
            RuleKind.ABSOLUTE_CONTRAINDICATION,
            ScreeningOutcome.NOT_ELIGIBLE,
        ),
        (
            "psychotic-disorder",
            "yes",
            RuleKind.RELATIVE_CONTRAINDICATION,
            ScreeningOutcome.CLINICIAN_REVIEW,
        ),
        (
            "substance-misuse-history",
            "yes",
            RuleKind.RELATIVE_CONTRAINDICATION,
            ScreeningOutcome.CLINICIAN_REVIEW,
        ),
        ("suicidal-thoughts", "yes", RuleKind.PRECAUTION, ScreeningOutcome.URGENT),
        (
            "tried-two-or-more-antidepressants",
            2,
            RuleKind.INDICATION,
            ScreeningOutcome.POSSIBLE_CANDIDATE,
        ),
    ],
)
def test_eligibility_points_are_rules_a_program_can_evaluate(slug, answer, kind, outcome):
    rule = EligibilityRule.objects.filter(live=True).get(slug=slug)
    assert (rule.kind, rule.outcome) == (kind, outcome)
    question = question_from_rule(rule)
    evaluation = evaluate([question], parse_answers([question], {slug: answer}))
    assert evaluation.results[0].triggered
    assert evaluation.outcome == outcome


def test_answers_outside_a_rule_do_not_trigger_it():
    for slug, answer in [
        ("tried-two-or-more-antidepressants", 1),
        ("uncontrolled-high-blood-pressure", "treated-and-controlled"),
        ("pregnancy", "no"),
    ]:
        question = question_from_rule(EligibilityRule.objects.get(slug=slug))
        evaluation = evaluate([question], parse_answers([question], {slug: answer}))
        assert not evaluation.results[0].triggered, slug


def test_every_condition_is_there_with_its_evidence():
    conditions = {item.slug: item for item in Condition.objects.filter(live=True)}
    assert set(conditions) >= {
        "treatment-resistant-depression",
        "depression",
        "generalised-anxiety-disorder",
        "post-traumatic-stress-disorder",
        "obsessive-compulsive-disorder",
        "chronic-pain",
    }
    trd = conditions["treatment-resistant-depression"]
    assert trd.evidence_strength == "strong"
    assert "TRD" in trd.alias_list


def test_mechanism_of_action_is_explained_in_an_article_and_an_faq():
    article = ArticlePage.objects.live().get(slug="how-ketamine-works")
    body = str(article.body.render_as_block())
    for fact in ("NMDA", "glutamate", "default mode network", "neural activation", "plasticity"):
        assert fact in body
    faq = FAQ.objects.filter(live=True).get(slug="how-does-ketamine-work")
    assert "switch nerve cells into activity" in faq.answer


def test_comparisons_with_other_treatments_are_structured_tables():
    article = ArticlePage.objects.live().get(slug="ketamine-compared-with-other-treatments")
    compared = [
        block.value["compared_with"]
        for block in article.body
        if block.block_type == "comparison_table"
    ]
    assert any("antidepressants" in name for name in compared)
    assert any("ECT" in name for name in compared)
    assert any("Talking therapy" in name for name in compared)


def test_the_works_the_sources_cite_are_references():
    yale = Reference.objects.get(slug="yale-medicine-ketamine-for-depression")
    assert yale.url == "https://www.yalemedicine.org/news/ketamine-for-depression"
    assert Reference.objects.get(slug="mayo-clinic-g2k-trial").kind == "trial"
    assert "70%" in Reference.objects.get(slug="mayo-clinic-press-ketamine-for-depression").summary


def test_faqs_answer_the_questions_the_sources_answer():
    assert FAQ.objects.filter(live=True).count() >= 14
    assert FAQ.objects.filter(slug="how-long-does-a-session-last").exists()
    assert FAQ.objects.filter(slug="ketamine-compared-with-ect").exists()


@pytest.mark.parametrize("model", CLINICAL_MODELS, ids=lambda model: model.__name__)
def test_every_clinical_item_is_published_referenced_and_not_reviewed(model):
    # No clinician has reviewed the demo content: it claims no review until one approves it.
    items = model.objects.all()
    assert items.exists()
    for item in items:
        assert item.live and item.first_published_at, item
        assert item.review_status == ReviewStatus.NOT_REVIEWED, item
        assert (item.reviewed_by, item.last_reviewed_at, item.next_review_due) == (None,) * 3
        assert item.reference_links.exists(), item


def test_articles_live_under_the_site_root():
    article_index = Page.objects.get(slug="patient-information")
    assert article_index.get_site().root_page == article_index
    assert article_index.get_children().live().count() == 3


def test_the_demo_reviewer_is_marked_as_a_demo():
    assert [(reviewer.slug, reviewer.is_demo) for reviewer in MedicalReviewer.objects.all()] == [
        ("demo-medical-reviewer", True)
    ]
