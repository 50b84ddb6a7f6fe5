"""The admin home's "Reviews due" panel: clinical content whose medical review has lapsed or
falls due soon, so that nothing patients read stays unchecked for long."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from . import collections

DUE_WITHIN = datetime.timedelta(days=30)
MOST_SHOWN = 20


@dataclass(frozen=True)
class DueReview:
    title: str
    kind: str
    due: datetime.date
    overdue: bool
    edit_url: str


def reviews_due(today: datetime.date) -> list[DueReview]:
    horizon = today + DUE_WITHIN
    due = []
    reviewed = [
        collection.model
        for collection in collections.COLLECTIONS
        if collection.is_medically_reviewed
    ]
    for model in reviewed:
        for item in model.objects.filter(next_review_due__lte=horizon).order_by("next_review_due")[
            :MOST_SHOWN
        ]:
            if issubclass(model, Page):
                edit_url = reverse("wagtailadmin_pages:edit", args=[item.pk])
            else:
                edit_url = reverse(model.snippet_viewset.get_url_name("edit"), args=[item.pk])
            due.append(
                DueReview(
                    title=str(item),
                    kind=model._meta.verbose_name,
                    due=item.next_review_due,
                    overdue=item.next_review_due < today,
                    edit_url=edit_url,
                )
            )
    return sorted(due, key=lambda review: review.due)[:MOST_SHOWN]


class ReviewsDuePanel(Component):
    name = "reviews_due"
    order = 50
    template_name = "content_models/admin/reviews_due_panel.html"

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {"reviews": reviews_due(today), "within_days": DUE_WITHIN.days}
