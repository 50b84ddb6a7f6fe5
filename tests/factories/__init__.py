"""Factories for every content type: valid, published items unless a test says otherwise."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page

from content_models import enums
from content_models.models import (
    FAQ,
    ArticleIndexPage,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    ScreeningGuidance,
    SideEffect,
    TreatmentForm,
    TreatmentProcessStep,
)


class PublishableSnippetFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    locale = factory.LazyFunction(Locale.get_default)
    slug = factory.Sequence(lambda n: f"item-{n}")


class MedicalReviewerFactory(PublishableSnippetFactory):
    class Meta:
        model = MedicalReviewer

    name = factory.Sequence(lambda n: f"Dr Reviewer {n}")
    credentials = "MD, MRCPsych"
    specialty = "Psychiatry"


class ReferenceFactory(PublishableSnippetFactory):
    class Meta:
        model = Reference

    title = factory.Sequence(lambda n: f"A trial of ketamine, part {n}")
    kind = enums.ReferenceKind.TRIAL
    publisher = "A journal"
    year = 2024
    url = "https://example.org/trial"


class ScreeningGuidanceFactory(PublishableSnippetFactory):
    class Meta:
        model = ScreeningGuidance

    title = "Screener guidance"
    disclaimer = "Not a diagnosis: a clinician decides."
    crisis_heading = "If you are in danger now"
    crisis_guidance = "Call your local emergency number."


SHARED_REVIEWER_SLUG = "shared-reviewer"


def shared_reviewer() -> MedicalReviewer:
    """The reviewer of the items a test makes without naming one: one for the test (it goes
    with the test's data), not one per item, as saving a reviewer costs what saving an item
    does (a new content generation, the search and reference indexes). A test about
    reviewers names its own."""
    reviewer = MedicalReviewer.objects.filter(
        slug=SHARED_REVIEWER_SLUG, locale=Locale.get_default()
    ).first()
    return reviewer or MedicalReviewerFactory(slug=SHARED_REVIEWER_SLUG, name="Dr Shared Reviewer")


class MedicallyReviewedFactory(PublishableSnippetFactory):
    class Meta:
        abstract = True

    # Saved even when the item is only built: validation looks the reviewer up by id.
    reviewed_by = factory.LazyFunction(shared_reviewer)
    last_reviewed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    next_review_due = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=335)
    )


class TreatmentFormFactory(MedicallyReviewedFactory):
    class Meta:
        model = TreatmentForm

    name = factory.Sequence(lambda n: f"Treatment form {n}")
    route = enums.Route.INTRAVENOUS
    summary = "Given through a drip into a vein."
    given_in_clinic = True
    setting_basis = factory.LazyAttribute(
        lambda form: enums.Basis.SOURCE if form.given_in_clinic or form.given_at_home else ""
    )
    session_minutes_min = 40
    session_minutes_max = 60


class SideEffectFactory(MedicallyReviewedFactory):
    class Meta:
        model = SideEffect

    name = factory.Sequence(lambda n: f"Side effect {n}")
    summary = "Feeling sick."
    frequency = enums.Frequency.COMMON
    frequency_basis = factory.LazyAttribute(
        lambda item: enums.Basis.SOURCE if item.frequency else ""
    )
    severity = enums.Severity.MILD
    severity_basis = factory.LazyAttribute(lambda item: enums.Basis.SOURCE if item.severity else "")
    timing = enums.Timing.DURING


class EligibilityRuleFactory(MedicallyReviewedFactory):
    class Meta:
        model = EligibilityRule

    title = factory.Sequence(lambda n: f"Rule {n}")
    kind = enums.RuleKind.ABSOLUTE_CONTRAINDICATION
    summary = "Not given during pregnancy."
    rationale = "The risks to a baby are not known."
    question = "Are you pregnant?"
    answer_type = enums.AnswerType.YES_NO
    triggering_answer = True
    outcome_if_yes = enums.ScreeningOutcome.NOT_ELIGIBLE
    outcome_if_no = enums.ScreeningOutcome.POSSIBLE_CANDIDATE


class ConditionFactory(MedicallyReviewedFactory):
    class Meta:
        model = Condition

    name = factory.Sequence(lambda n: f"Condition {n}")
    summary = "A condition."
    evidence_strength = enums.EvidenceStrength.EMERGING
    evidence_strength_basis = factory.LazyAttribute(
        lambda item: enums.Basis.SOURCE if item.evidence_strength else ""
    )


class FAQFactory(MedicallyReviewedFactory):
    class Meta:
        model = FAQ

    question = factory.Sequence(lambda n: f"Question {n}?")
    summary = "A short answer."
    answer = "<p>A longer answer.</p>"
    topic = enums.FaqTopic.ABOUT_KETAMINE


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticleIndexPage

    title = "Patient information"
    # Under Wagtail's root, where the site and the Medical review workflow are attached.
    parent = factory.LazyFunction(Page.get_first_root_node)


class ArticlePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "An article."
    # The site has one section for articles: every article goes there.
    parent = factory.LazyFunction(
        lambda: ArticleIndexPage.objects.first() or ArticleIndexPageFactory()
    )


def factory_for(model):
    """The factory above that makes items of `model`."""
    return next(
        value
        for value in globals().values()
        if isinstance(value, type)
        and issubclass(value, DjangoModelFactory)
        and value._meta.model is model
    )


def cite(item, reference=None) -> Reference:
    """Add a citation of `reference` (a new live one by default) to an item, and save it."""
    reference = reference or ReferenceFactory()
    link_model = type(item)._meta.get_field("reference_links").related_model
    item.reference_links.add(link_model(reference=reference))
    item.save()
    return reference


def apply_to(item, form: TreatmentForm) -> None:
    """Link a side effect, eligibility rule or condition to a treatment form, and save it."""
    link_model = type(item)._meta.get_field("treatment_form_links").related_model
    item.treatment_form_links.add(link_model(treatment_form=form))
    item.save()


def create_with_every_relation(factory_class, **kwargs):
    """A live item with a live item in each relation it has (a citation, its treatment
    forms or, for a form, its side effects, rules and conditions), each related item citing
    a reference of its own: what a list's query count must cover."""
    item = factory_class(**kwargs)
    if hasattr(item, "reference_links"):  # references and reviewers cite nothing
        cite(item)
    if isinstance(item, TreatmentForm):
        item.process_steps.add(
            TreatmentProcessStep(phase=enums.ProcessPhase.BEFORE, title="Check", description="-")
        )
        item.save()
        for related_factory in (SideEffectFactory, EligibilityRuleFactory, ConditionFactory):
            related = related_factory()
            cite(related)
            apply_to(related, item)
    elif hasattr(item, "treatment_form_links"):
        form = TreatmentFormFactory()
        cite(form)
        apply_to(item, form)
    return item


def reviewer_account(username=None, *, profile=None, **fields):
    """An account in "Medical reviewers" whose approvals are recorded as a reviewer: `profile`
    (an existing live profile), or a new live profile with `fields`."""
    user = get_user_model().objects.create_user(
        username or f"reviewer-{get_user_model().objects.count() + 1}", password="password"
    )
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    if profile is None:
        MedicalReviewerFactory(user=user, **fields)
    else:
        MedicalReviewer.objects.filter(pk=profile.pk).update(user=user)
    return user


def approve_in_review(item, account=None):
    """Send the item (as it is now) through "Medical review" and approve it as `account` (a
    new real reviewer's by default), as the admin's buttons do: the one way a review is
    recorded. Returns the item as saved."""
    account = account or reviewer_account()
    item.save_revision(user=account)
    item.get_workflow().start(item, account)
    item.refresh_from_db()
    task_state = item.current_workflow_task_state
    task_state.task.specific.on_action(task_state, account, "approve")
    item.refresh_from_db()
    return item
