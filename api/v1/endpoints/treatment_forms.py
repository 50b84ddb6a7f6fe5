from typing import ClassVar

from api.filters import TreatmentFormFilterSet
from api.v1.serializers.treatment_forms import TreatmentFormSerializer
from content_models.models import TreatmentForm

from .base import PUBLICATION_ORDERING, ContentViewSet, content_schema


@content_schema("treatment forms")
class TreatmentFormViewSet(ContentViewSet):
    model = TreatmentForm
    serializer_class = TreatmentFormSerializer
    filterset_class = TreatmentFormFilterSet
    ordering_fields: ClassVar = {
        "title": "name",
        "route": "route",
        "session_length": "session_minutes_min",
        **PUBLICATION_ORDERING,
    }
    ordering = ("name",)
