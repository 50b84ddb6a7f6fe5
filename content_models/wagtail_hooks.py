"""The editors' admin: every content type under one "Clinical content" menu."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import (
    FAQ,
    ArticlePage,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)

# Review columns and filters every clinical type shares, so editors can find what is due.
REVIEW_COLUMNS = ("reviewed_by", "next_review_due")
REVIEW_FILTERS = ("next_review_due", "reviewed_by", "live")


class TreatmentFormViewSet(SnippetViewSet):
    model = TreatmentForm
    icon = "doc-full"
    menu_label = "Treatment forms"
    list_display = ("name", "route", "session_minutes_min", "session_minutes_max", *REVIEW_COLUMNS)
    list_filter = ("route", "given_in_clinic", "given_at_home", *REVIEW_FILTERS)
    search_fields = ("name", "summary", "description")
    inspect_view_enabled = True


class SideEffectViewSet(SnippetViewSet):
    model = SideEffect
    icon = "warning"
    menu_label = "Side effects"
    list_display = ("name", "frequency", "severity", "timing", *REVIEW_COLUMNS)
    list_filter = ("frequency", "severity", "timing", *REVIEW_FILTERS)
    search_fields = ("name", "summary", "description")
    inspect_view_enabled = True


class EligibilityRuleViewSet(SnippetViewSet):
    model = EligibilityRule
    icon = "tasks"
    menu_label = "Eligibility rules"
    list_display = ("title", "kind", "outcome", "answer_type", *REVIEW_COLUMNS)
    list_filter = ("kind", "outcome", "answer_type", *REVIEW_FILTERS)
    search_fields = ("title", "question", "summary", "rationale")
    inspect_view_enabled = True


class ConditionViewSet(SnippetViewSet):
    model = Condition
    icon = "clipboard-list"
    menu_label = "Conditions treated"
    list_display = ("name", "aliases", "evidence_strength", *REVIEW_COLUMNS)
    list_filter = ("evidence_strength", *REVIEW_FILTERS)
    search_fields = ("name", "aliases", "summary", "description")
    inspect_view_enabled = True


class FAQViewSet(SnippetViewSet):
    model = FAQ
    icon = "help"
    menu_label = "FAQs"
    list_display = ("question", "topic", *REVIEW_COLUMNS)
    list_filter = ("topic", *REVIEW_FILTERS)
    search_fields = ("question", "summary", "answer")
    inspect_view_enabled = True


class ReferenceViewSet(SnippetViewSet):
    model = Reference
    icon = "openquote"
    menu_label = "References"
    list_display = ("title", "kind", "publisher", "year")
    list_filter = ("kind", "year", "live")
    search_fields = ("title", "publisher", "authors", "doi", "pmid", "trial_id")
    inspect_view_enabled = True


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    icon = "user"
    menu_label = "Medical reviewers"
    list_display = ("name", "credentials", "specialty")
    list_filter = ("live",)
    search_fields = ("name", "specialty")
    inspect_view_enabled = True


class ArticleListingViewSet(PageListingViewSet):
    model = ArticlePage
    icon = "doc-full-inverse"
    menu_label = "Articles"
    name = "articles"


class ClinicalContentGroup(ViewSetGroup):
    menu_label = "Clinical content"
    menu_icon = "folder-open-inverse"
    menu_order = 100
    items = (
        TreatmentFormViewSet,
        SideEffectViewSet,
        EligibilityRuleViewSet,
        ConditionViewSet,
        FAQViewSet,
        ArticleListingViewSet,
        ReferenceViewSet,
        MedicalReviewerViewSet,
    )


@hooks.register("register_admin_viewset")
def register_clinical_content():
    return ClinicalContentGroup()
