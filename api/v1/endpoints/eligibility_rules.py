from typing import ClassVar

from api.v1.filters import EligibilityRuleFilterSet
from api.v1.jsonld import eligibility_rule_page
from api.v1.schema import content_schema
from api.v1.serializers.eligibility_rules import EligibilityRuleSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("eligibility rules")
class EligibilityRuleViewSet(ContentViewSet):
    serializer_class = EligibilityRuleSerializer
    jsonld_page = staticmethod(eligibility_rule_page)
    filterset_class = EligibilityRuleFilterSet
    ordering_fields: ClassVar = {
        "position": "position",
        "title": "title",
        "kind": "kind",
        "outcome": "outcome",
        **PUBLICATION_ORDERING,
    }
    # The questionnaire's order, as editors set it.
    ordering = ("position", "title")
