"""Clinical content reaches patients only after a medical reviewer approves it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from content_models import review
from content_models.enums import ReviewStatus
from content_models.models import (
    FAQ,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)
from tests.factories import (
    ArticlePageFactory,
    MedicalReviewerFactory,
    SideEffectFactory,
    approve_in_review,
    reviewer_account,
)

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


def test_approval_by_an_account_that_is_no_reviewer_records_no_review(django_user_model):
    editor = user_in("Editors", django_user_model, "editor")
    administrator = django_user_model.objects.create_superuser("root", password="password")
    side_effect = approve_in_review(SideEffectFactory(live=False))
    side_effect.summary = "Changed since the review."

    submit_for_review(side_effect, editor)
    approve(side_effect, administrator)

    published = SideEffect.objects.get(pk=side_effect.pk)
    assert published.live
    assert published.summary == "Changed since the review."
    assert (published.reviewed_by, published.last_reviewed_at, published.next_review_due) == (
        None,
        None,
        None,
    )
    assert published.review_status == ReviewStatus.NOT_REVIEWED


def test_every_approval_renews_the_review_even_when_the_next_is_not_yet_due(django_user_model):
    reviewer_account = user_in("Medical reviewers", django_user_model, "reviewer")
    MedicalReviewerFactory(user=reviewer_account)
    side_effect = approve_in_review(SideEffectFactory(live=False), reviewer_account)
    earlier = timezone.now() - datetime.timedelta(days=200)
    SideEffect.objects.filter(pk=side_effect.pk).update(
        last_reviewed_at=earlier,
        next_review_due=timezone.localdate() + datetime.timedelta(days=165),
    )
    side_effect.refresh_from_db()

    approve_in_review(side_effect, reviewer_account)

    renewed = SideEffect.objects.get(pk=side_effect.pk)
    assert timezone.now() - renewed.last_reviewed_at < datetime.timedelta(minutes=1)
    assert renewed.next_review_due == (
        renewed.last_reviewed_at.date() + datetime.timedelta(days=365)
    )


def test_the_review_is_tied_to_the_revision_the_reviewer_approved():
    side_effect = approve_in_review(SideEffectFactory(live=False))

    assert side_effect.reviewed_revision_id == side_effect.live_revision_id
    assert side_effect.review_status == ReviewStatus.REVIEWED


@pytest.mark.parametrize("make", [SideEffectFactory, ArticlePageFactory], ids=["snippet", "page"])
def test_a_publish_outside_the_workflow_withdraws_the_earlier_review(make):
    item = approve_in_review(make(live=False))
    item.summary = "An editor's change, never reviewed."

    item.save_revision().publish()

    published = type(item).objects.get(pk=item.pk)
    assert published.summary == "An editor's change, never reviewed."
    assert (published.reviewed_by, published.last_reviewed_at, published.next_review_due) == (
        None,
        None,
        None,
    )
    assert published.review_status == ReviewStatus.NOT_REVIEWED


def test_a_reviewed_item_saved_as_a_draft_keeps_its_live_review():
    item = approve_in_review(SideEffectFactory(live=False))
    item.summary = "A draft change waiting for review."

    item.save_revision()

    live = SideEffect.objects.get(pk=item.pk)
    assert live.review_status == ReviewStatus.REVIEWED
    assert live.reviewed_revision_id == live.live_revision_id


def test_the_history_names_who_approved_which_revision_and_the_publish_that_withdrew_it():
    account = reviewer_account("ada", name="Dr Ada Reviewer")
    item = approve_in_review(SideEffectFactory(live=False), account)
    approved_revision = item.live_revision_id
    item.summary = "Changed."
    item.save_revision().publish()
    item.refresh_from_db()

    entries = ModelLogEntry.objects.for_instance(item)
    approval = entries.get(action="content_models.medical_review")
    assert approval.user == account
    assert approval.revision_id == approved_revision
    assert approval.data["reviewer"]["name"] == "Dr Ada Reviewer"
    assert approval.data["next_review_due"] == str(
        timezone.localdate() + datetime.timedelta(days=365)
    )
    assert f"revision {approved_revision}" in approval.message
    withdrawn = entries.get(action="content_models.review_withdrawn")
    assert withdrawn.revision_id == item.live_revision_id != approved_revision
    assert "published outside medical review" in withdrawn.message


def test_a_demo_reviewers_approval_leaves_the_item_not_reviewed():
    account = reviewer_account(is_demo=True)

    item = approve_in_review(SideEffectFactory(live=False), account)

    assert item.live
    assert item.reviewed_by.is_demo
    assert item.review_status == ReviewStatus.NOT_REVIEWED


@pytest.mark.parametrize(
    ("due_in_days", "status"),
    [(1, ReviewStatus.REVIEWED), (0, ReviewStatus.REVIEWED), (-1, ReviewStatus.OVERDUE)],
)
def test_a_review_is_overdue_from_the_day_after_it_was_due(due_in_days, status):
    item = SideEffectFactory(next_review_due=timezone.localdate() + datetime.timedelta(due_in_days))

    assert item.review_status == status
    assert SideEffect.objects.filter(review.status_q(status)).get() == item


def test_the_review_status_of_a_query_agrees_with_each_items():
    today = timezone.localdate()
    demo = MedicalReviewerFactory(is_demo=True)
    items = [
        SideEffectFactory(),
        SideEffectFactory(next_review_due=today - datetime.timedelta(days=1)),
        SideEffectFactory(next_review_due=None),
        SideEffectFactory(reviewed_by=None, last_reviewed_at=None, next_review_due=None),
        SideEffectFactory(reviewed_by=demo),
    ]

    for status in ReviewStatus:
        matching = set(SideEffect.objects.filter(review.status_q(status)))
        assert matching == {item for item in items if item.review_status == status}, status
    assert [item.review_status for item in items] == [
        ReviewStatus.REVIEWED,
        ReviewStatus.OVERDUE,
        ReviewStatus.OVERDUE,
        ReviewStatus.NOT_REVIEWED,
        ReviewStatus.NOT_REVIEWED,
    ]


def test_an_approval_scheduled_for_later_keeps_its_review_when_it_goes_live(monkeypatch):
    go_live_at = timezone.now() + datetime.timedelta(hours=1)
    item = approve_in_review(SideEffectFactory(live=False, go_live_at=go_live_at))
    assert not item.live

    later = go_live_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("publish_scheduled")

    published = SideEffect.objects.get(pk=item.pk)
    assert published.live
    assert published.review_status == ReviewStatus.REVIEWED
    assert published.reviewed_revision_id == published.live_revision_id
