"""Serializers by the names `ExpandableField` uses, so that resources can expand each other."""

from .conditions import ConditionSerializer
from .eligibility_rules import EligibilityRuleSerializer
from .faqs import FaqSerializer
from .references import ReferenceSerializer
from .reviewers import ReviewerSerializer
from .side_effects import SideEffectSerializer
from .treatment_forms import TreatmentFormSerializer

SERIALIZERS = {
    "condition": ConditionSerializer,
    "eligibility_rule": EligibilityRuleSerializer,
    "faq": FaqSerializer,
    "reference": ReferenceSerializer,
    "reviewer": ReviewerSerializer,
    "side_effect": SideEffectSerializer,
    "treatment_form": TreatmentFormSerializer,
}

# For items embedded in articles, found by their model.
BY_MODEL = {serializer.Meta.model: serializer for serializer in SERIALIZERS.values()}
