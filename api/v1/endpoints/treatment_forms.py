from typing import ClassVar

from api.v1.filters import TreatmentFormFilterSet
from api.v1.jsonld import treatment_form_page
from api.v1.schema import content_schema
from api.v1.serializers.treatment_forms import TreatmentFormSerializer

from .base import PUBLICATION_ORDERING, ContentViewSet


@content_schema("treatment forms")
class TreatmentFormViewSet(ContentViewSet):
    serializer_class = TreatmentFormSerializer
    jsonld_page = staticmethod(treatment_form_page)
    filterset_class = TreatmentFormFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        "route": "route",
        "session_length": "session_minutes_min",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
