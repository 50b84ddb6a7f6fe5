import datetime

from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, Locale

from .review_log import log_medical_review
from .snippets.base import MedicallyReviewed
from .snippets.reviewer import MedicalReviewer
from .translations import translation_in

# How long a medical review stands: every approval sets the next one this far ahead.
REVIEW_INTERVAL = datetime.timedelta(days=365)


class MedicalReviewTask(AbstractGroupApprovalTask):
    """The "Medical review" step: approval by a medical reviewer, recorded on the content.

    When a member of the task's groups who is linked to a medical reviewer approves, the
    revision about to be published is stamped with that reviewer and the time: the content
    shows who reviewed it because they did, not because an editor typed it in.
    """

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            content = task_state.workflow_state.content_object
            record_medical_review(content.get_latest_revision(), user)
        return super().on_action(task_state, user, action_name, **kwargs)

    class Meta:
        verbose_name = "medical review task"


def record_medical_review(revision, user) -> None:
    """Stamp a revision, about to be published, with the reviewer who approved it and when.

    The reviewer is named by their profile in the content's language (see `reviewer_profile`);
    the review is renewed in full (last reviewed now, next due a year on, whatever dates the
    revision carried) and tied to this revision (`reviewed_revision`), so that it stands only
    for the text approved. The approval is logged in the item's history.

    Does nothing for content that is not medically reviewed, or when the approving account is
    not linked to a published medical reviewer (an administrator stepping in): no review is
    then recorded for this revision, and publishing it withdraws any earlier one.
    """
    if not issubclass(revision.content_type.model_class(), MedicallyReviewed):
        return
    reviewer = reviewer_profile(user, Locale.objects.get(pk=revision.content["locale"]))
    if reviewer is None:
        return
    now = timezone.now()
    revision.content["reviewed_by"] = reviewer.pk
    revision.content["last_reviewed_at"] = now.isoformat()
    revision.content["next_review_due"] = (now.date() + REVIEW_INTERVAL).isoformat()
    revision.content["reviewed_revision"] = revision.pk
    revision.save(update_fields=["content"])
    log_medical_review(revision.as_object(), revision, user, reviewer)


def reviewer_profile(user, locale: Locale) -> MedicalReviewer | None:
    """The profile, in `locale`, of the published medical reviewer who logs in as `user`.

    A relation never crosses languages, so Spanish content names the reviewer's Spanish
    profile. The account is linked to one profile; the others are its translations. If the
    reviewer has none in that language yet, it is copied from the published profile (name
    and credentials are the same in every language) and published, so that the approval
    credits them at once; an administrator can then translate the biography.
    """
    profile = MedicalReviewer.objects.filter(user=user, live=True).first()
    if profile is None or profile.locale_id == locale.pk:
        return profile
    translation = profile.get_translation_or_none(locale)
    if translation is None:
        translation = translation_in(profile, locale)
        # Reviewers may not edit profiles (only administrators may); this copy of their own
        # published profile is the approval's doing, logged under their name.
        revision = translation.save_revision(user=user)
        revision.publish(user=user, skip_permission_checks=True)
    return translation
