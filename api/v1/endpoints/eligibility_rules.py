from typing import ClassVar

from api.filters import EligibilityRuleFilterSet
from api.v1.serializers.eligibility_rules import EligibilityRuleSerializer
from content_models.models import EligibilityRule

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("eligibility rules")
class EligibilityRuleViewSet(ContentViewSet):
    model = EligibilityRule
    serializer_class = EligibilityRuleSerializer
    filterset_class = EligibilityRuleFilterSet
    ordering_fields: ClassVar = {
        "title": "title",
        "kind": "kind",
        "outcome": "outcome",
        **PUBLICATION_ORDERING,
    }
    ordering = ("title",)
