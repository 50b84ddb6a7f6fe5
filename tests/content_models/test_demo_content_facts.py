"""Every category of fact in the five source articles is in the demo content, as data, and
the demo content says no more than they do: each corrected statement is tied to the words of
its source, and what no source states is empty or marked as the editor's."""

import re
from pathlib import Path

import pytest
from wagtail.models import Page

from content_models.enums import (
    Basis,
    Frequency,
    RegulatoryStatus,
    ReviewStatus,
    RuleKind,
    ScreeningOutcome,
    Timing,
)
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

# The five clinic articles the demo content is built from (shared/seed-documents/).
SEED_DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "seed-documents"


def plain(text: str) -> str:
    """Text with markup, typographic quotes and runs of white space made plain, so that a
    quotation is compared word for word."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def seed_text() -> str:
    documents = sorted(SEED_DOCUMENTS.glob("*.txt"))
    assert len(documents) == 5, f"expected the five seed articles in {SEED_DOCUMENTS}"
    return plain(" ".join(document.read_text(encoding="utf-8") for document in documents))


def published_texts(model) -> dict[str, str]:
    """Every text patients read of each live item of a type, joined, by slug."""
    texts = {}
    for item in model.objects.filter(live=True):
        parts = [
            str(getattr(item, field.name))
            for field in item._meta.concrete_fields
            if field.get_internal_type() in {"TextField", "CharField"}
        ]
        if isinstance(item, ArticlePage):
            parts.append(str(item.body.render_as_block()))
        if isinstance(item, TreatmentForm):
            parts += [step.description for step in item.process_steps.all()]
        texts[item.slug] = plain(" ".join(parts))
    return texts


def every_published_text() -> dict[str, str]:
    return {
        f"{model.__name__} {slug}": text
        for model in CLINICAL_MODELS
        for slug, text in published_texts(model).items()
    }


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


def test_the_forms_are_there_with_the_nasal_spray_split_into_esketamine_and_ketamine():
    forms = {form.slug: form for form in TreatmentForm.objects.filter(live=True)}
    assert {slug: form.route for slug, form in forms.items()} == {
        "iv-infusion": "intravenous",
        "im-injection": "intramuscular",
        "esketamine-nasal-spray": "intranasal",
        "nasal-spray": "intranasal",
        "sublingual-troches": "sublingual",
    }
    assert "Spravato" in forms["esketamine-nasal-spray"].name
    assert "Spravato" not in forms["nasal-spray"].name


def test_where_each_form_is_given_is_what_the_sources_say_or_marked_editorial():
    forms = {form.slug: form for form in TreatmentForm.objects.filter(live=True)}
    settings = {
        slug: (form.given_in_clinic, form.given_at_home, form.setting_basis)
        for slug, form in forms.items()
    }
    assert settings == {
        "iv-infusion": (True, False, Basis.SOURCE),
        "sublingual-troches": (False, True, Basis.SOURCE),
        # Article 002's nasal spray "for at-home or in-office use" names no medicine: giving
        # its settings to the pharmacy-made spray is the editor's reading.
        "nasal-spray": (True, True, Basis.EDITORIAL),
        # From the FDA, which no seed article cites.
        "esketamine-nasal-spray": (True, False, Basis.EDITORIAL),
        # No source says where an IM injection is given.
        "im-injection": (False, False, ""),
    }
    sources = seed_text()
    assert "controlled at-home administration" in sources
    assert "Nasal Spray: Convenient administration for at-home or in-office use" in sources


def test_each_form_states_its_regulatory_status_with_a_citation():
    forms = {form.slug: form for form in TreatmentForm.objects.filter(live=True)}
    status = {slug: form.regulatory_status for slug, form in forms.items()}
    assert status == {
        "esketamine-nasal-spray": RegulatoryStatus.APPROVED,
        "iv-infusion": RegulatoryStatus.OFF_LABEL,
        "im-injection": RegulatoryStatus.OFF_LABEL,
        "nasal-spray": RegulatoryStatus.OFF_LABEL,
        "sublingual-troches": RegulatoryStatus.OFF_LABEL,
    }
    for form in forms.values():
        cited = form.regulatory_reference
        assert cited.live and cited.publisher == "U.S. Food and Drug Administration", form
        assert cited.url.startswith("https://www.fda.gov/") and cited.year, form
        assert form.reference_links.filter(reference=cited).exists(), form
        assert form.regulatory_note, form
    esketamine = forms["esketamine-nasal-spray"]
    assert "treatment-resistant depression" in esketamine.regulatory_note
    assert "certified" in esketamine.regulatory_note
    assert "monitored after each dose" in esketamine.regulatory_note
    for slug in ("iv-infusion", "im-injection", "nasal-spray", "sublingual-troches"):
        assert "off-label" in forms[slug].regulatory_note


def test_regulatory_statements_no_seed_article_makes_are_marked_editorial():
    sources = seed_text().lower()
    for word in ("esketamine", "spravato", "approved", "off-label", "fda", "drive"):
        assert word not in sources
    for form in TreatmentForm.objects.filter(live=True):
        assert form.regulatory_status_basis == Basis.EDITORIAL, form
    esketamine = TreatmentForm.objects.get(slug="esketamine-nasal-spray")
    assert {step.basis for step in esketamine.process_steps.all()} == {Basis.EDITORIAL}


def test_do_not_drive_until_the_next_day_is_advice_marked_as_the_editors():
    """Article 001's process sends people home after an infusion, so the advice belongs
    there; no seed article mentions driving, so it is the editor's."""
    assert "You will then be able to leave the clinic and return home" in seed_text()
    for slug in ("iv-infusion", "esketamine-nasal-spray", "nasal-spray", "sublingual-troches"):
        steps = TreatmentForm.objects.get(slug=slug).process_steps.all()
        driving = [step for step in steps if "until the next day" in step.description]
        assert driving and all(step.basis == Basis.EDITORIAL for step in driving), slug
        assert all("drive" in step.description for step in driving), slug


def test_advice_on_home_use_forms_speaks_to_someone_at_home():
    for slug in ("nasal-spray", "sublingual-troches"):
        text = published_texts(TreatmentForm)[slug]
        assert "staff" not in text, slug
        assert "contact your clinic" in text, slug
    for side_effect in SideEffect.objects.filter(live=True):
        advice = f"{side_effect.what_helps} {side_effect.when_to_seek_help}"
        home_forms = side_effect.treatment_form_links.filter(treatment_form__given_at_home=True)
        if "staff" in advice and (
            home_forms.exists() or not side_effect.treatment_form_links.exists()
        ):
            assert "at home" in advice.lower(), side_effect


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


# Each classification of a side effect that is marked as sourced, with the words of the seed
# article that state it.
SOURCED_CLASSIFICATIONS = {
    ("dissociation", "frequency"): "Common side effects may include dissociation",
    ("dissociation", "severity"): "Most patients experience a mild dissociation",
    ("dizziness", "frequency"): "Common side effects may include dissociation, dizziness",
    ("dizziness", "severity"): "These effects are typically mild",
    ("nausea", "frequency"): "may include nausea, dizziness, and dissociative symptoms",
    ("nausea", "severity"): "these side effects are typically mild and short-lived",
    ("raised-blood-pressure", "frequency"): "nausea, increased blood pressure, and temporary",
    ("raised-blood-pressure", "severity"): "These effects are typically mild",
    ("perceptual-changes", "frequency"): "temporary perceptual changes during the infusion",
    ("perceptual-changes", "severity"): "These effects are typically mild",
    ("feelings-of-unreality", "frequency"): "Commonly reported side effects include transient",
    ("mild-anxiety-during-infusion", "severity"): "If you experience nausea, mild anxiety",
    ("cognitive-changes", "frequency"): "Long-term risks, though rare, can include cognitive",
    ("bladder-problems", "frequency"): "cognitive changes and bladder issues",
}


def test_side_effect_classifications_are_sourced_or_left_empty():
    sources = seed_text()
    for side_effect in SideEffect.objects.filter(live=True):
        for field in ("frequency", "severity"):
            value, basis = getattr(side_effect, field), getattr(side_effect, f"{field}_basis")
            quote = SOURCED_CLASSIFICATIONS.get((side_effect.slug, field))
            if quote:
                assert value and basis == Basis.SOURCE, (side_effect.slug, field)
                assert quote in sources, quote
            else:
                assert not value and not basis, (side_effect.slug, field)


def test_classifications_no_source_gives_are_gone():
    assert SideEffect.objects.get(slug="mild-anxiety-during-infusion").frequency == ""
    for slug in ("cognitive-changes", "bladder-problems", "feelings-of-unreality"):
        assert SideEffect.objects.get(slug=slug).severity == ""
    assert not Condition.objects.exclude(evidence_strength="").exists()


def test_side_effects_and_conditions_name_only_the_forms_a_source_names():
    def forms_of(item):
        return {link.treatment_form.slug for link in item.treatment_form_links.all()}

    side_effects = {item.slug: forms_of(item) for item in SideEffect.objects.filter(live=True)}
    # Articles 000, 001 and 003 name these during or after an IV infusion; 002 and 004 speak
    # of ketamine therapy in general, which links to no one form.
    assert side_effects == {
        "dissociation": {"iv-infusion"},
        "dizziness": {"iv-infusion"},
        "nausea": {"iv-infusion"},
        "raised-blood-pressure": {"iv-infusion"},
        "perceptual-changes": {"iv-infusion"},
        "mild-anxiety-during-infusion": {"iv-infusion"},
        "feelings-of-unreality": set(),
        "cognitive-changes": set(),
        "bladder-problems": set(),
    }
    conditions = {item.slug: forms_of(item) for item in Condition.objects.filter(live=True)}
    assert conditions == {
        "treatment-resistant-depression": {"iv-infusion", "esketamine-nasal-spray"},
        "depression": {"iv-infusion"},
        "generalised-anxiety-disorder": set(),
        "post-traumatic-stress-disorder": set(),
        "obsessive-compulsive-disorder": set(),
        "chronic-pain": set(),
    }
    sources = seed_text()
    assert "promising option for individuals who are struggling with treatment-resistant" in (
        sources
    )
    assert "remarkably benefits 70% of people suffering from severe depression" in sources


# The efficacy figures, each in its source's words: a quotation in the demo content must be
# word for word in a seed article (Mayo Clinic Press is quoted as article 003 quotes it).
EFFICACY_QUOTES = [
    "response rates as high as 70%",
    "have demonstrated significant efficacy in treating major depressive episodes in patients "
    "with treatment-resistant depression, with response rates often exceeding 70% in clinical "
    "trials",
    "has shown that intravenous administration of ketamine in sub-anesthetic doses remarkably "
    "benefits 70% of people suffering from severe depression",
]


def test_efficacy_figures_are_quoted_in_their_sources_words():
    sources = seed_text()
    for quote in EFFICACY_QUOTES:
        assert quote in sources, quote
    for name, text in every_published_text().items():
        if "70%" not in text:
            continue
        assert "around 70% or more" not in text, name
        quoted = re.findall(r'"([^"]*70%[^"]*)"', text)
        assert quoted, f"{name} gives a 70% figure without quoting its source"
        for quote in quoted:
            assert quote in sources, (name, quote)


def test_mayo_clinic_press_figure_is_attributed_to_it():
    trd = Condition.objects.get(slug="treatment-resistant-depression")
    attributed = "Mayo Clinic Press, as another clinic's article quotes it, cites \"response rates"
    assert f'{attributed} as high as 70%"' in plain(trd.description)
    faq = FAQ.objects.get(slug="how-effective-is-ketamine")
    assert "as high as 70%" in faq.summary and "Mayo Clinic Press" in faq.summary
    assert faq.reference_links.filter(
        reference__slug="mayo-clinic-press-ketamine-for-depression"
    ).exists()


def test_the_g2k_study_is_cited_only_as_research_with_no_results():
    g2k = Reference.objects.get(slug="mayo-clinic-g2k-trial")
    assert g2k.trial_id == "NCT06668571"
    assert g2k.url == "https://clinicaltrials.gov/study/NCT06668571"
    assert "reported no results" in g2k.summary
    citing = {
        f"{model.__name__} {item.slug}"
        for model in (TreatmentForm, SideEffect, EligibilityRule, Condition, FAQ, ArticlePage)
        for item in model.objects.filter(reference_links__reference=g2k)
    }
    assert citing == {"Condition treatment-resistant-depression"}
    trd = published_texts(Condition)["treatment-resistant-depression"]
    assert "It has not reported results yet" in trd


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


def test_no_statement_cites_a_work_whose_text_is_unchecked():
    """Article 003 lists the Yale Medicine page without saying what it supports, and its text
    has not been checked: nothing here is cited from it."""
    yale = Reference.objects.get(slug="yale-medicine-ketamine-for-depression")
    for model in (TreatmentForm, SideEffect, EligibilityRule, Condition, FAQ, ArticlePage):
        assert not model.objects.filter(reference_links__reference=yale).exists(), model


def test_references_carry_what_is_known_of_them():
    references = {reference.slug: reference for reference in Reference.objects.filter(live=True)}
    for slug in (
        "fda-esketamine-nasal-spray-approval-2019",
        "fda-compounded-ketamine-nasal-spray-alert-2022",
        "fda-compounded-ketamine-warning-2023",
    ):
        assert references[slug].url and references[slug].year, slug
    assert references["source-ketamine-therapy-information"].year == 2026
    assert "Document generated on: 2026-01-16" in seed_text()
    # Nobody has checked these pages for the demo content: no accessed date pretends it.
    assert not any(reference.accessed_on for reference in references.values())


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
