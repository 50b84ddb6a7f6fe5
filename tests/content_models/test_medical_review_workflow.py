"""Clinical content reaches patients only after a medical reviewer approves it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from content_models.models import (
    FAQ,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)
from tests.factories import ArticlePageFactory, MedicalReviewerFactory, SideEffectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [TreatmentForm, SideEffect, EligibilityRule, Condition, FAQ, Reference, MedicalReviewer],
    ids=lambda model: model.__name__,
)
def test_every_snippet_type_goes_through_medical_review(model):
    assert model().get_workflow().name == "Medical review"


def test_articles_go_through_medical_review():
    assert ArticlePageFactory().get_workflow().name == "Medical review"


def user_in(group_name, django_user_model, username):
    user = django_user_model.objects.create_user(username, password="password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_editors_draft_and_reviewers_publish(django_user_model):
    editor = user_in("Editors", django_user_model, "editor")
    reviewer = user_in("Medical reviewers", django_user_model, "reviewer")
    assert editor.has_perm("content_models.change_sideeffect")
    assert not editor.has_perm("content_models.publish_sideeffect")
    assert reviewer.has_perm("content_models.publish_sideeffect")


def submit_for_review(item, editor):
    item.save_revision(user=editor)
    item.get_workflow().start(item, editor)
    item.refresh_from_db()


def approve(item, user):
    """As the admin's "Approve" button does: through the task, not the task state."""
    task_state = item.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve")


def test_approval_by_a_medical_reviewer_publishes_the_submitted_draft(django_user_model):
    editor = user_in("Editors", django_user_model, "editor")
    reviewer = user_in("Medical reviewers", django_user_model, "reviewer")
    side_effect = SideEffectFactory(live=False)

    submit_for_review(side_effect, editor)
    assert not SideEffect.objects.get(pk=side_effect.pk).live
    approve(side_effect, reviewer)

    assert SideEffect.objects.get(pk=side_effect.pk).live


def test_approval_records_the_approving_reviewer_and_when(django_user_model):
    editor = user_in("Editors", django_user_model, "editor")
    reviewer_account = user_in("Medical reviewers", django_user_model, "reviewer")
    reviewer = MedicalReviewerFactory(user=reviewer_account)
    stale_review = timezone.now() - datetime.timedelta(days=400)
    side_effect = SideEffectFactory(
        live=False,
        last_reviewed_at=stale_review,
        next_review_due=timezone.localdate() - datetime.timedelta(days=35),
    )

    submit_for_review(side_effect, editor)
    approve(side_effect, reviewer_account)

    published = SideEffect.objects.get(pk=side_effect.pk)
    assert published.live
    assert published.reviewed_by == reviewer
    assert timezone.now() - published.last_reviewed_at < datetime.timedelta(minutes=1)
    assert published.next_review_due > timezone.localdate()


def test_approval_by_an_account_that_is_no_reviewer_keeps_the_review_fields(django_user_model):
    editor = user_in("Editors", django_user_model, "editor")
    administrator = django_user_model.objects.create_superuser("root", password="password")
    # Whole seconds: revisions store times to the millisecond.
    reviewed_at = timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)
    side_effect = SideEffectFactory(live=False, last_reviewed_at=reviewed_at)
    reviewed = (side_effect.reviewed_by_id, side_effect.last_reviewed_at)

    submit_for_review(side_effect, editor)
    approve(side_effect, administrator)

    published = SideEffect.objects.get(pk=side_effect.pk)
    assert published.live
    assert (published.reviewed_by_id, published.last_reviewed_at) == reviewed
