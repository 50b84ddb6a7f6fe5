"""The editors' admin: every content type under one "Clinical content" menu.

Search in the lists uses each model's own `search_fields` (its search index), so the
viewsets name none: a field list here would be handed to the search backend as columns.
"""

from functools import cached_property

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import (
    BooleanColumn,
    Column,
    LiveStatusTagColumn,
    LocaleColumn,
    UpdatedAtColumn,
)
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.models import Locale
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from . import review, review_log
from .admin_panels import ReviewsDuePanel
from .enums import ReviewStatus
from .models import (
    FAQ,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    ScreeningGuidance,
    SideEffect,
    TreatmentForm,
)
from .rich_text import ArticleLinkHandler
from .snippets.base import MedicallyReviewed

# A custom list_display replaces Wagtail's default columns, so these add them back.
STATUS_COLUMNS = (LocaleColumn(), UpdatedAtColumn(), LiveStatusTagColumn())


def review_status_column() -> Column:
    """Whether a review stands behind the live text: reviewed, overdue or not reviewed."""
    return Column(
        "review_status", label="Review status", accessor=lambda item: item.review_status.label
    )


# Review columns every clinical type shares, so editors can see what is due.
REVIEW_COLUMNS = (review_status_column(), "reviewed_by", "next_review_due", *STATUS_COLUMNS)


class ReviewedContentFilterSet(WagtailFilterSet):
    """Filters every clinical list has; the review date as a range, to find what falls due."""

    review_status = django_filters.MultipleChoiceFilter(
        label="Review status",
        choices=ReviewStatus.choices,
        method="filter_review_status",
    )
    next_review_due = django_filters.DateFromToRangeFilter(
        label="Next review due", widget=DateRangePickerWidget
    )

    class Meta:
        fields = ("review_status", "next_review_due", "reviewed_by", "live")

    def filter_review_status(self, queryset, name, value):
        # By id: a list that is also searched filters in the search index, which filters only
        # on the model's own declared fields, not on the reviewer's `is_demo`.
        matching = queryset.model.objects.filter(review.any_status_q(value)).values("pk")
        return queryset.filter(pk__in=matching)


def reviewed_filterset(model, *fields):
    """The filters of a clinical list: its own fields, then the review filters."""
    meta = type(
        "Meta", (), {"model": model, "fields": [*fields, *ReviewedContentFilterSet.Meta.fields]}
    )
    return type(f"{model.__name__}FilterSet", (ReviewedContentFilterSet,), {"Meta": meta})


PUBLISHED_OUTSIDE_REVIEW = (
    "%(model_name)s '%(object)s' published outside medical review: it shows as not "
    "reviewed until a medical reviewer approves it."
)


class MedicalReviewMessages:
    """Success messages in the words of the "Medical review" workflow: Wagtail's say
    "submitted for moderation", and only "updated" after an approval."""

    def get_success_message(self, instance=None):
        if self.action == "submit":
            message = "%(model_name)s '%(object)s' sent for medical review."
            if self.view_name == "create":
                message = "%(model_name)s '%(object)s' created and sent for medical review."
        elif self.action == "workflow-action" and self.workflow_action == "approve":
            message = "%(model_name)s '%(object)s' approved in medical review and published."
        elif self.action == "workflow-action" and self.workflow_action == "reject":
            message = "%(model_name)s '%(object)s': changes requested in medical review."
        elif self.action == "publish" and issubclass(self.model, MedicallyReviewed):
            message = PUBLISHED_OUTSIDE_REVIEW
        else:
            return super().get_success_message(instance)
        return message % {
            "model_name": capfirst(self.model._meta.verbose_name),
            "object": get_latest_str(instance or self.object),
        }


class ContentCreateView(MedicalReviewMessages, CreateView):
    """Wagtail's snippet create view, in the workflow's words."""


class ContentEditView(MedicalReviewMessages, EditView):
    """Wagtail's snippet edit view, in the workflow's words, with "Translate" as a button of
    its header (Wagtail offers it only in a list row's menu) while a language has no
    translation of the item yet."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("simple_translation.submit_translation"):
            translated = self.object.get_translations(inclusive=True).values("locale_id")
            if Locale.objects.exclude(id__in=translated).exists():
                url = reverse(
                    "simple_translation:submit_snippet_translation",
                    args=[
                        self.model._meta.app_label,
                        self.model._meta.model_name,
                        quote(self.object.pk),
                    ],
                )
                buttons.append(HeaderButton("Translate", url=url, icon_name="globe"))
        return buttons


class ContentSnippetViewSet(SnippetViewSet):
    """What every content type's admin shares: the views above and an inspect view."""

    add_view_class = ContentCreateView
    edit_view_class = ContentEditView


class TreatmentFormViewSet(ContentSnippetViewSet):
    model = TreatmentForm
    icon = "doc-full"
    menu_label = "Treatment forms"
    list_display = ("name", "route", "regulatory_status", "session_minutes_min", *REVIEW_COLUMNS)
    filterset_class = reviewed_filterset(
        TreatmentForm,
        "route",
        "regulatory_status",
        "regulatory_status_basis",
        "given_in_clinic",
        "given_at_home",
        "setting_basis",
    )


class SideEffectViewSet(ContentSnippetViewSet):
    model = SideEffect
    icon = "warning"
    menu_label = "Side effects"
    list_display = ("name", "frequency", "severity", "timing", *REVIEW_COLUMNS)
    # Filtering by basis finds every classification that rests on the editor's judgement.
    filterset_class = reviewed_filterset(
        SideEffect, "frequency", "frequency_basis", "severity", "severity_basis", "timing"
    )


class EligibilityRuleViewSet(ContentSnippetViewSet):
    model = EligibilityRule
    icon = "tasks"
    menu_label = "Eligibility rules"
    list_display = (
        "title",
        "position",
        "kind",
        "outcome",
        "answer_type",
        "required",
        *REVIEW_COLUMNS,
    )
    # The questionnaire's order, as the screener asks the questions.
    ordering = ("position", "title")
    filterset_class = reviewed_filterset(
        EligibilityRule, "kind", "outcome", "answer_type", "required"
    )


class ScreeningGuidanceViewSet(ContentSnippetViewSet):
    model = ScreeningGuidance
    icon = "warning"
    menu_label = "Screener guidance"
    list_display = ("title", *STATUS_COLUMNS)
    list_filter = ("live",)


class ConditionViewSet(ContentSnippetViewSet):
    model = Condition
    icon = "clipboard-list"
    menu_label = "Conditions treated"
    list_display = ("name", "aliases", "evidence_strength", *REVIEW_COLUMNS)
    filterset_class = reviewed_filterset(Condition, "evidence_strength", "evidence_strength_basis")


class FAQViewSet(ContentSnippetViewSet):
    model = FAQ
    icon = "help"
    menu_label = "FAQs"
    list_display = ("question", "topic", *REVIEW_COLUMNS)
    filterset_class = reviewed_filterset(FAQ, "topic")


class ReferenceViewSet(ContentSnippetViewSet):
    model = Reference
    icon = "openquote"
    menu_label = "References"
    list_display = ("title", "kind", "publisher", "year", *STATUS_COLUMNS)
    list_filter = ("kind", "live")


class MedicalReviewerViewSet(ContentSnippetViewSet):
    model = MedicalReviewer
    icon = "user"
    menu_label = "Medical reviewers"
    list_display = (
        "name",
        "credentials",
        "specialty",
        BooleanColumn("is_demo", label="Demo reviewer"),
        *STATUS_COLUMNS,
    )
    list_filter = ("is_demo", "live")


class ArticleFilterSet(ReviewedContentFilterSet, PageFilterSet):
    """Wagtail's page filters, and the review filters of every clinical list."""

    class Meta:
        model = ArticlePage
        fields = ReviewedContentFilterSet.Meta.fields


class ArticleListingViewSet(PageListingViewSet):
    """Articles are pages, so their list is Wagtail's flat page listing, with the review
    columns and filters of the other clinical lists added."""

    model = ArticlePage
    icon = "doc-full-inverse"
    menu_label = "Articles"
    name = "articles"
    columns = (
        *PageListingViewSet.columns,
        review_status_column(),
        Column("reviewed_by", label="Reviewed by", sort_key="reviewed_by"),
        Column("next_review_due", label="Next review due", sort_key="next_review_due"),
    )
    filterset_class = ArticleFilterSet


class ClinicalContentGroup(ViewSetGroup):
    menu_label = "Clinical content"
    menu_icon = "folder-open-inverse"
    menu_order = 100
    items = (
        TreatmentFormViewSet,
        SideEffectViewSet,
        EligibilityRuleViewSet,
        ScreeningGuidanceViewSet,
        ConditionViewSet,
        FAQViewSet,
        ArticleListingViewSet,
        ReferenceViewSet,
        MedicalReviewerViewSet,
    )


@hooks.register("register_admin_viewset")
def register_clinical_content():
    return ClinicalContentGroup()


@hooks.register("construct_homepage_panels")
def show_reviews_due(request, panels):
    panels.append(ReviewsDuePanel())


@hooks.register("construct_snippet_action_menu")
@hooks.register("construct_page_action_menu")
def make_approve_the_main_action(menu_items, request, context):
    """For whoever may approve the review task, "Approve and publish" is the main button of
    the editor's footer, not an entry under "More actions" beside "Publish" (which would
    publish without the review)."""
    approve = next((item for item in menu_items if item.name == "approve"), None)
    if approve is not None:
        menu_items.remove(approve)
        menu_items.insert(0, approve)


# After Wagtail's own hook (order 0), which registers the default handler for page links.
@hooks.register("register_rich_text_features", order=100)
def resolve_page_links_for_headless_clients(features):
    features.register_link_type(ArticleLinkHandler)


class MedicalReviewFormatter(LogFormatter):
    label = "Approved in medical review"

    def format_message(self, log_entry):
        data = log_entry.data
        return (
            f"Approved in medical review as {data['reviewer']['name']}"
            f"{' (a demo reviewer: not a real review)' if data['reviewer']['is_demo'] else ''}: "
            f"revision {data['revision']['id']}, next review due {data['next_review_due']}."
        )


class ReviewWithdrawnFormatter(LogFormatter):
    label = "Published outside medical review"

    def format_message(self, log_entry):
        return (
            f"Revision {log_entry.data['revision']['id']} published outside medical review: "
            "the earlier review no longer stands; not reviewed until a medical reviewer "
            "approves it."
        )


@hooks.register("register_log_actions")
def register_medical_review_log_actions(actions):
    actions.register_action(review_log.MEDICAL_REVIEW)(MedicalReviewFormatter)
    actions.register_action(review_log.REVIEW_WITHDRAWN)(ReviewWithdrawnFormatter)


# Wagtail's page views write their messages before these hooks run (and offer no view class
# to override per page type): the article's message is reworded in the request's queue, in
# the same words as the snippets' (`MedicalReviewMessages`).
ARTICLE_MESSAGES = {
    "submit": (
        "Page '%(title)s' has been submitted for moderation.",
        "Article '%(title)s' sent for medical review.",
    ),
    "create-submit": (
        "Page '%(title)s' created and submitted for moderation.",
        "Article '%(title)s' created and sent for medical review.",
    ),
    "approve": (
        "Page '%(title)s' has been updated.",
        "Article '%(title)s' approved in medical review and published.",
    ),
    "reject": (
        "Page '%(title)s' has been updated.",
        "Article '%(title)s': changes requested in medical review.",
    ),
    "publish": (
        "Page '%(title)s' has been published.",
        PUBLISHED_OUTSIDE_REVIEW.replace("%(model_name)s", "Article").replace(
            "%(object)s", "%(title)s"
        ),
    ),
    "create-publish": (
        "Page '%(title)s' created and published.",
        PUBLISHED_OUTSIDE_REVIEW.replace("%(model_name)s", "Article").replace(
            "%(object)s", "%(title)s"
        ),
    ),
}


def article_action(request, *, created: bool) -> str | None:
    """Which of `ARTICLE_MESSAGES` the editor's button asked for."""
    post = request.POST
    if "action-submit" in post:
        return "create-submit" if created else "submit"
    if "action-publish" in post:
        return "create-publish" if created else "publish"
    if "action-workflow-action" in post and not created:
        return (
            post.get("workflow-action-name")
            if post.get("workflow-action-name")
            in (
                "approve",
                "reject",
            )
            else None
        )
    return None


def reword_article_message(request, page, *, created: bool) -> None:
    if not isinstance(page, ArticlePage) or request.method != "POST":
        return
    action = article_action(request, created=created)
    if action is None:
        return
    wagtail_words, our_words = ARTICLE_MESSAGES[action]
    title = {"title": page.get_admin_display_title()}
    old, new = escape(wagtail_words % title), escape(our_words % title)
    storage = messages.get_messages(request)
    queued = list(storage)  # reading the queue marks it used: it is kept below
    for message in queued:
        if old in str(message.message):
            message.message = mark_safe(
                str(message.message).replace(old, new)
            )  # both sides escaped
    storage.used = False


@hooks.register("after_create_page")
def reword_created_article_message(request, page):
    reword_article_message(request, page, created=True)


@hooks.register("after_edit_page")
def reword_edited_article_message(request, page):
    reword_article_message(request, page, created=False)
