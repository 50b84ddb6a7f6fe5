"""Clinical content reaches patients only after a medical reviewer approves it."""

import pytest
from django.contrib.auth.models import Group

from content_models.models import (
    FAQ,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)
from tests.factories import ArticlePageFactory, SideEffectFactory

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


def test_approval_by_a_medical_reviewer_publishes_the_submitted_draft(django_user_model):
    editor = user_in("Editors", django_user_model, "editor")
    reviewer = user_in("Medical reviewers", django_user_model, "reviewer")
    side_effect = SideEffectFactory(live=False)
    side_effect.save_revision(user=editor)

    side_effect.get_workflow().start(side_effect, editor)
    assert not SideEffect.objects.get(pk=side_effect.pk).live

    side_effect.refresh_from_db()
    side_effect.current_workflow_task_state.approve(user=reviewer)

    assert SideEffect.objects.get(pk=side_effect.pk).live
