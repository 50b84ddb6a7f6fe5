"""The audit log of medical reviews, in Wagtail's log of each item (its History in the admin).

Wagtail already logs the workflow's approval ("wagtail.workflow.approve", with the account
and the revision). These entries add what the approval recorded on the content, and say
when a publish outside the workflow withdrew a review, so the history answers "who approved
which version of this text, and since when does no review stand behind it". The actions'
labels and messages are registered in `wagtail_hooks.py`.
"""

from wagtail.log_actions import log

MEDICAL_REVIEW = "content_models.medical_review"
REVIEW_WITHDRAWN = "content_models.review_withdrawn"


def log_medical_review(item, revision, user, reviewer) -> None:
    """`user` approved `revision` of `item` in the workflow, recorded as `reviewer`."""
    log(
        instance=item,
        action=MEDICAL_REVIEW,
        user=user,
        revision=revision,
        data={
            "revision": {"id": revision.pk},
            "reviewer": {"id": reviewer.pk, "name": reviewer.name, "is_demo": reviewer.is_demo},
            "reviewed_at": revision.content["last_reviewed_at"],
            "next_review_due": revision.content["next_review_due"],
        },
    )


def log_review_withdrawn(item) -> None:
    """A revision of `item` was published outside the workflow: no review stands behind it.
    The account is the one of the request that published it (Wagtail's log context)."""
    log(
        instance=item,
        action=REVIEW_WITHDRAWN,
        revision=item.live_revision,
        data={"revision": {"id": item.live_revision_id}},
    )
