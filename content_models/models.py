"""Every model of the app, for Django's model registry; each lives in its own module."""

from .change_log import ContentChange
from .generation import ContentGeneration
from .pages.article import ArticleIndexPage, ArticlePage, ArticlePageReference
from .review_task import MedicalReviewTask
from .snippets.condition import Condition, ConditionReference, ConditionTreatmentForm
from .snippets.eligibility_rule import (
    EligibilityRule,
    EligibilityRuleReference,
    EligibilityRuleTreatmentForm,
)
from .snippets.faq import FAQ, FAQReference
from .snippets.reference import Reference
from .snippets.reviewer import MedicalReviewer
from .snippets.screening_guidance import ScreeningGuidance
from .snippets.side_effect import SideEffect, SideEffectReference, SideEffectTreatmentForm
from .snippets.treatment_form import TreatmentForm, TreatmentFormReference, TreatmentProcessStep

__all__ = [
    "FAQ",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageReference",
    "Condition",
    "ConditionReference",
    "ConditionTreatmentForm",
    "ContentChange",
    "ContentGeneration",
    "EligibilityRule",
    "EligibilityRuleReference",
    "EligibilityRuleTreatmentForm",
    "FAQReference",
    "MedicalReviewTask",
    "MedicalReviewer",
    "Reference",
    "ScreeningGuidance",
    "SideEffect",
    "SideEffectReference",
    "SideEffectTreatmentForm",
    "TreatmentForm",
    "TreatmentFormReference",
    "TreatmentProcessStep",
]
