from wagtail.models import AbstractGroupApprovalTask


class MedicalReviewTask(AbstractGroupApprovalTask):
    """The "Medical review" step: approval by a medical reviewer, recorded on the content.

    When a member of the task's groups who is linked to a medical reviewer approves, the
    revision about to be published is stamped with that reviewer and the time: the content
    shows who reviewed it because they did, not because an editor typed it in.
    """

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            from .services import record_medical_review

            content = task_state.workflow_state.content_object
            record_medical_review(content.get_latest_revision(), user)
        return super().on_action(task_state, user, action_name, **kwargs)

    class Meta:
        verbose_name = "medical review task"
