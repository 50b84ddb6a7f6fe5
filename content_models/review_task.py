import datetime

from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask

from .snippets.base import MedicallyReviewed
from .snippets.reviewer import MedicalReviewer

# How long a medical review stands when nobody has set the next one.
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

    Does nothing for content that is not medically reviewed, or when the approving account is
    not linked to a published medical reviewer (an administrator stepping in): then the
    review fields stay as the editor set them.
    """
    reviewer = MedicalReviewer.objects.filter(user=user, live=True).first()
    if reviewer is None or not issubclass(revision.content_type.model_class(), MedicallyReviewed):
        return
    now = timezone.now()
    revision.content["reviewed_by"] = reviewer.pk
    revision.content["last_reviewed_at"] = now.isoformat()
    due = revision.content.get("next_review_due")
    if not due or datetime.date.fromisoformat(due) <= now.date():
        revision.content["next_review_due"] = (now.date() + REVIEW_INTERVAL).isoformat()
    revision.save(update_fields=["content"])
