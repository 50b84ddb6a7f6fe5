"""What editors find in the Wagtail admin: one menu, filterable lists, clear form errors."""

import datetime
import subprocess
import sys
from importlib import import_module

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.models import Locale
from wagtail.search.index import get_indexed_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content_models.models import (
    FAQ,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    ScreeningGuidance,
    SideEffect,
    SideEffectReference,
    TreatmentForm,
)
from tests.factories import (
    ArticlePageFactory,
    ConditionFactory,
    EligibilityRuleFactory,
    FAQFactory,
    MedicalReviewerFactory,
    ReferenceFactory,
    ScreeningGuidanceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    apply_to,
)

pytestmark = pytest.mark.django_db


def treatment_form_inlines(reference) -> dict[str, str]:
    """The add form's inline panels for a new treatment form: no process steps, one citation."""
    return {
        "process_steps-TOTAL_FORMS": "0",
        "process_steps-INITIAL_FORMS": "0",
        "process_steps-MIN_NUM_FORMS": "0",
        "process_steps-MAX_NUM_FORMS": "1000",
        "reference_links-TOTAL_FORMS": "1",
        "reference_links-INITIAL_FORMS": "0",
        "reference_links-MIN_NUM_FORMS": "1",
        "reference_links-MAX_NUM_FORMS": "1000",
        "reference_links-0-reference": str(reference.pk),
        "reference_links-0-ORDER": "1",
        "reference_links-0-DELETE": "",
        "reference_links-0-id": "",
    }


SNIPPET_FACTORIES = {
    TreatmentForm: TreatmentFormFactory,
    SideEffect: SideEffectFactory,
    EligibilityRule: EligibilityRuleFactory,
    Condition: ConditionFactory,
    FAQ: FAQFactory,
    Reference: ReferenceFactory,
    MedicalReviewer: MedicalReviewerFactory,
}
SNIPPET_MODELS = list(SNIPPET_FACTORIES)


def snippet_url(model, view, *args):
    # Wagtail registers the snippets' admin views as it loads the admin's URLs, which a test
    # run on its own has not done yet.
    import_module("wagtail.admin.urls")
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def list_url(model):
    # Articles are pages: their list is the page listing registered as "articles".
    return reverse("articles:index") if model is ArticlePage else snippet_url(model, "list")


# Each clinical content type's factory, and the field its list shows as the item's name.
CLINICAL_LISTS = pytest.mark.parametrize(
    ("factory", "name_field"),
    [
        (TreatmentFormFactory, "name"),
        (SideEffectFactory, "name"),
        (EligibilityRuleFactory, "title"),
        (ConditionFactory, "name"),
        (FAQFactory, "question"),
        (ArticlePageFactory, "title"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)


def test_clinical_content_menu_lists_every_content_type(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "Clinical content" in html
    for label in [
        "Treatment forms",
        "Side effects",
        "Eligibility rules",
        "Screener guidance",
        "Conditions treated",
        "FAQs",
        "Articles",
        "References",
        "Medical reviewers",
    ]:
        assert label in html


@pytest.mark.parametrize("model", SNIPPET_MODELS, ids=lambda model: model.__name__)
def test_every_content_type_has_a_list_and_an_empty_create_form(admin_client, model):
    assert admin_client.get(snippet_url(model, "list")).status_code == 200
    assert admin_client.get(snippet_url(model, "add")).status_code == 200


def test_side_effects_filter_by_frequency_and_search_by_name(admin_client):
    SideEffectFactory(name="Nausea", frequency="common")
    SideEffectFactory(name="Bladder problems", frequency="rare")
    rare = admin_client.get(snippet_url(SideEffect, "list"), {"frequency": "rare"})
    assert "Bladder problems" in rare.content.decode()
    assert "Nausea" not in rare.content.decode()
    found = admin_client.get(snippet_url(SideEffect, "list"), {"q": "nausea"})
    assert "Nausea" in found.content.decode()
    assert "Bladder problems" not in found.content.decode()


def test_treatment_forms_filter_by_route(admin_client):
    TreatmentFormFactory(name="IV infusion", route="intravenous")
    TreatmentFormFactory(name="Nasal spray", route="intranasal")
    response = admin_client.get(snippet_url(TreatmentForm, "list"), {"route": "intranasal"})
    assert "Nasal spray" in response.content.decode()
    assert "IV infusion" not in response.content.decode()


def test_session_minimum_above_maximum_is_a_form_error_and_nothing_is_saved(admin_client):
    reference = ReferenceFactory()
    response = admin_client.post(
        snippet_url(TreatmentForm, "add") + "?locale=en",
        {
            "name": "IV infusion",
            "slug": "iv-infusion",
            "route": "intravenous",
            "summary": "Given into a vein.",
            "given_in_clinic": "on",
            "session_minutes_min": "90",
            "session_minutes_max": "40",
            **treatment_form_inlines(reference),
        },
    )
    assert response.status_code == 200
    assert "The shortest session cannot be longer than the longest session." in (
        response.content.decode()
    )
    assert not TreatmentForm.objects.exists()


def test_classifications_ask_where_they_come_from_in_plain_words(admin_client):
    side_effect = SideEffectFactory()
    html = admin_client.get(snippet_url(SideEffect, "edit", side_effect.pk)).content.decode()
    for field in ("frequency_basis", "severity_basis"):
        assert f'name="{field}"' in html
    assert "Choose &#x27;Editor&#x27;s judgement&#x27; when no cited source says it" in html
    form = TreatmentFormFactory()
    html = admin_client.get(snippet_url(TreatmentForm, "edit", form.pk)).content.decode()
    for field in ("setting_basis", "regulatory_status", "regulatory_status_basis"):
        assert f'name="{field}"' in html
    assert "Leave it empty if you cannot cite where this is said." in html


def test_a_setting_without_its_basis_is_a_form_error_and_nothing_is_saved(admin_client):
    reference = ReferenceFactory()
    response = admin_client.post(
        snippet_url(TreatmentForm, "add") + "?locale=en",
        {
            "name": "IM injection",
            "slug": "im-injection",
            "route": "intramuscular",
            "summary": "Given into a muscle.",
            "given_in_clinic": "on",
            "setting_basis": "",
            **treatment_form_inlines(reference),
        },
    )
    assert response.status_code == 200
    assert "Say where the setting comes from: a cited source, or the editor&#x27;s judgement." in (
        response.content.decode()
    )
    assert not TreatmentForm.objects.exists()


def test_side_effects_filter_by_the_basis_of_their_frequency(admin_client):
    SideEffectFactory(name="Nausea", frequency="common", frequency_basis="source")
    SideEffectFactory(name="Anxiety", frequency="uncommon", frequency_basis="editorial")
    html = admin_client.get(
        snippet_url(SideEffect, "list"), {"frequency_basis": "editorial"}
    ).content.decode()
    assert "Anxiety" in html
    assert "Nausea" not in html


def rule_form(reference, **fields) -> dict:
    return nested_form_data(
        {
            "title": "Pregnancy",
            "slug": "pregnancy",
            "kind": "absolute_contraindication",
            "summary": "Not given during pregnancy.",
            "rationale": "The risks to a baby are not known.",
            "question": "Are you pregnant?",
            "answer_type": "yes_no",
            "position": "5",
            "required": "on",
            "triggering_answer": "True",
            "outcome_if_yes": "not_eligible",
            "outcome_if_no": "possible_candidate",
            "number_ranges": streamfield([]),
            "number_unit": "",
            "answer_options": streamfield([]),
            "unsure_outcome": "clinician_review",
            "unanswered_outcome": "clinician_review",
            "treatment_form_links": inline_formset([]),
            "reference_links": inline_formset([{"reference": reference.pk}], min=1),
            **fields,
        }
    )


def test_an_editor_sets_position_required_and_where_each_answer_leads(admin_client):
    reference = ReferenceFactory()
    response = admin_client.post(
        snippet_url(EligibilityRule, "add") + "?locale=en", rule_form(reference)
    )
    assert response.status_code == 302
    rule = EligibilityRule.objects.get(slug="pregnancy")
    assert (rule.position, rule.required) == (5, True)
    assert (rule.outcome_if_yes, rule.outcome_if_no) == ("not_eligible", "possible_candidate")
    assert rule.outcome == "not_eligible"


def test_an_unsafe_rule_cannot_be_saved_and_the_editor_is_told_why(admin_client):
    reference = ReferenceFactory()
    response = admin_client.post(
        snippet_url(EligibilityRule, "add") + "?locale=en",
        rule_form(reference, outcome_if_yes="possible_candidate"),
    )
    assert response.status_code == 200
    assert (
        "is what makes this an absolute contraindication, so it must lead to"
        in response.content.decode()
    )
    assert not EligibilityRule.objects.exists()


def test_yes_no_rule_with_a_number_unit_is_a_form_error_and_nothing_is_saved(admin_client):
    reference = ReferenceFactory()
    response = admin_client.post(
        snippet_url(EligibilityRule, "add") + "?locale=en",
        rule_form(reference, number_unit="mmHg"),
    )
    assert response.status_code == 200
    assert (
        "A yes/no question has no unit: clear the unit or change the answer type."
        in response.content.decode()
    )
    assert not EligibilityRule.objects.exists()


def test_an_editor_gives_each_option_its_value_and_outcome(admin_client):
    reference = ReferenceFactory()
    options = [
        ("option", {"value": "no", "label": "No", "outcome": "possible_candidate"}),
        (
            "option",
            {
                "value": "not-controlled",
                "label": "Yes, not controlled",
                "triggers_rule": "on",
                "outcome": "not_eligible",
            },
        ),
    ]
    response = admin_client.post(
        snippet_url(EligibilityRule, "add") + "?locale=en",
        rule_form(
            reference,
            answer_type="choice",
            triggering_answer="",
            outcome_if_yes="",
            outcome_if_no="",
            answer_options=streamfield(options),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = EligibilityRule.objects.get(slug="pregnancy")
    assert [(o.value["value"], o.value["outcome"]) for o in rule.answer_options] == [
        ("no", "possible_candidate"),
        ("not-controlled", "not_eligible"),
    ]


def test_an_editor_gives_each_number_range_its_outcome(admin_client):
    reference = ReferenceFactory()
    ranges = [
        ("range", {"minimum": "0", "maximum": "1", "outcome": "clinician_review"}),
        (
            "range",
            {"minimum": "2", "maximum": "", "triggers_rule": "on", "outcome": "possible_candidate"},
        ),
    ]
    response = admin_client.post(
        snippet_url(EligibilityRule, "add") + "?locale=en",
        rule_form(
            reference,
            kind="indication",
            answer_type="number",
            triggering_answer="",
            outcome_if_yes="",
            outcome_if_no="",
            number_unit="antidepressants",
            number_ranges=streamfield(ranges),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = EligibilityRule.objects.get(slug="pregnancy")
    assert rule.outcome == "possible_candidate"
    assert [r.value["maximum"] for r in rule.number_ranges] == [1.0, None]


def test_screener_guidance_has_a_list_and_an_empty_create_form(admin_client):
    ScreeningGuidanceFactory(title="Screener guidance (English)")
    listing = admin_client.get(snippet_url(ScreeningGuidance, "list"))
    assert "Screener guidance (English)" in listing.content.decode()
    assert admin_client.get(snippet_url(ScreeningGuidance, "add")).status_code == 200


def test_a_language_has_one_screener_guidance(admin_client):
    ScreeningGuidanceFactory()
    second = ScreeningGuidanceFactory.build(slug="another")
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "This language already has screener guidance" in str(refused.value)


def test_the_rules_list_is_in_the_questionnaires_order(admin_client):
    EligibilityRuleFactory(title="Asked last", position=20)
    EligibilityRuleFactory(title="Asked first", position=10)
    content = admin_client.get(snippet_url(EligibilityRule, "list")).content.decode()
    assert content.index("Asked first") < content.index("Asked last")


def test_a_reference_shows_where_it_is_cited(admin_client):
    reference = ReferenceFactory(title="Intravenous ketamine trial")
    side_effect = SideEffectFactory(name="Dissociation")
    side_effect.reference_links.add(SideEffectReference(reference=reference))
    side_effect.save()
    response = admin_client.get(snippet_url(Reference, "usage", reference.pk))
    assert response.status_code == 200
    assert "Dissociation" in response.content.decode()


def article_embedding(block_type: str, value) -> None:
    ArticlePageFactory(title="What to expect", body=[{"type": block_type, "value": value}])


def use_treatment_form(form) -> list[str]:
    apply_to(SideEffectFactory(name="Nausea"), form)
    article_embedding("treatment_form", form.pk)
    return ["Nausea", "What to expect"]


def use_side_effect(side_effect) -> list[str]:
    article_embedding("side_effect_list", {"heading": "Side effects", "items": [side_effect.pk]})
    return ["What to expect"]


def use_reviewer(reviewer) -> list[str]:
    review = {"reviewed_by": reviewer, "last_reviewed_at": timezone.now()}
    SideEffectFactory(name="Nausea", **review)
    ArticlePageFactory(title="What to expect", **review)
    return ["Nausea", "What to expect"]


@pytest.mark.parametrize(
    ("factory", "use"),
    [
        (TreatmentFormFactory, use_treatment_form),
        (SideEffectFactory, use_side_effect),
        (MedicalReviewerFactory, use_reviewer),
    ],
    ids=["treatment form", "side effect", "medical reviewer"],
)
def test_an_item_shows_where_it_is_used(admin_client, factory, use):
    item = factory()
    users = use(item)

    response = admin_client.get(snippet_url(type(item), "usage", item.pk))

    assert response.status_code == 200
    for title in users:
        assert title in response.content.decode()


@pytest.mark.slow
def test_every_content_type_records_where_it_is_used_before_the_admin_is_loaded():
    # In a fresh process: in this one, earlier tests may have loaded the admin. References and
    # reviewers point to nothing, so only the types that do have anything to record.
    names = ["TreatmentForm", "SideEffect", "EligibilityRule", "Condition", "FAQ"]
    script = (
        "import django; django.setup()\n"
        "from django.apps import apps\n"
        "from wagtail.models import ReferenceIndex\n"
        f"models = [apps.get_model('content_models', name) for name in {names!r}]\n"
        "print([model.__name__ for model in models if not ReferenceIndex.is_indexed(model)])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_cited_reference_cannot_be_deleted(admin_client):
    reference = ReferenceFactory()
    side_effect = SideEffectFactory()
    side_effect.reference_links.add(SideEffectReference(reference=reference))
    side_effect.save()
    response = admin_client.post(snippet_url(Reference, "delete", reference.pk))
    assert response.status_code in (200, 302)
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_spanish_is_available_for_translations():
    assert Locale.objects.filter(language_code="es").exists()


def test_home_lists_content_whose_review_is_overdue_or_due_soon(admin_client):
    today = timezone.localdate()
    SideEffectFactory(name="Overdue effect", next_review_due=today - datetime.timedelta(days=3))
    SideEffectFactory(name="Due soon effect", next_review_due=today + datetime.timedelta(days=10))
    SideEffectFactory(name="Due next year", next_review_due=today + datetime.timedelta(days=300))

    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Medical reviews due" in html
    assert html.index("Overdue effect") < html.index("Due soon effect")
    assert "(overdue)" in html
    assert "Due next year" not in html


def test_reference_chooser_finds_a_source_by_its_publisher(admin_client):
    ReferenceFactory(title="Ketamine for depression", publisher="Yale Medicine")
    ReferenceFactory(title="Another study", publisher="A journal")
    chooser = reverse(Reference.snippet_viewset.chooser_viewset.get_url_name("choose_results"))
    html = admin_client.get(chooser, {"q": "yale"}).content.decode()
    assert "Ketamine for depression" in html
    assert "Another study" not in html


def test_eligibility_rules_filter_by_kind(admin_client):
    EligibilityRuleFactory(title="Pregnancy", kind="absolute_contraindication")
    EligibilityRuleFactory(title="Treatment-resistant depression", kind="indication")
    response = admin_client.get(snippet_url(EligibilityRule, "list"), {"kind": "indication"})
    assert "Treatment-resistant depression" in response.content.decode()
    assert "Pregnancy" not in response.content.decode()


@CLINICAL_LISTS
def test_clinical_lists_filter_by_review_due_date(admin_client, factory, name_field):
    today = timezone.localdate()
    due_soon = today + datetime.timedelta(days=20)
    factory(**{name_field: "Due this month"}, next_review_due=due_soon)
    factory(**{name_field: "Due next year"}, next_review_due=today + datetime.timedelta(days=300))

    response = admin_client.get(
        list_url(factory._meta.model),
        {"next_review_due_to": (today + datetime.timedelta(days=30)).isoformat()},
    )

    html = response.content.decode()
    assert "Due this month" in html
    assert "Due next year" not in html
    assert date_format(due_soon) in html  # the "Next review due" column


@CLINICAL_LISTS
def test_clinical_lists_search_among_one_reviewers_items(admin_client, factory, name_field):
    reviewer = MedicalReviewerFactory()
    review = {"reviewed_by": reviewer, "last_reviewed_at": timezone.now()}
    factory(**{name_field: "Ketamine and sleep"}, **review)
    factory(**{name_field: "Ketamine and mood"})

    response = admin_client.get(
        list_url(factory._meta.model), {"q": "ketamine", "reviewed_by": reviewer.pk}
    )

    assert response.status_code == 200
    assert "Ketamine and sleep" in response.content.decode()
    assert "Ketamine and mood" not in response.content.decode()


@pytest.mark.parametrize("model", SNIPPET_MODELS, ids=lambda model: model.__name__)
def test_every_content_type_keeps_revisions_and_can_be_locked_and_previewed(admin_client, model):
    factory = SNIPPET_FACTORIES[model]
    item = factory()
    item.save_revision()

    history = admin_client.get(snippet_url(model, "history", item.pk))
    assert history.status_code == 200
    admin_client.post(snippet_url(model, "lock", item.pk))
    item.refresh_from_db()
    assert item.locked
    preview = item.make_preview_request()
    assert preview.status_code == 200
    assert str(item) in preview.render().content.decode()
    assert model in get_indexed_models()


def test_a_draft_citing_a_reference_deleted_since_still_opens_in_the_admin(admin_client):
    item = SideEffectFactory(slug="nausea", name="Nausea")
    deleted = ReferenceFactory(title="Withdrawn paper")
    item.reference_links.add(SideEffectReference(reference=deleted))
    item.save_revision()  # the draft cites it; the live rows do not, so it may be deleted
    deleted.delete()

    response = admin_client.get(f"/admin/snippets/content_models/sideeffect/edit/{item.pk}/")

    assert response.status_code == 200
    assert "Withdrawn paper" not in response.text
