from rest_framework import serializers

from content_models import collections
from content_models.enums import CARE_SETTING_FIELDS, CareSetting, RegulatoryStatus
from content_models.models import TreatmentProcessStep

from .base import (
    ExpandableField,
    OptionalChoiceField,
    OptionalTextField,
    ReviewedItemSerializer,
    RichTextField,
    basis_field,
)


class RangeSerializer(serializers.Serializer):
    minimum = serializers.IntegerField(allow_null=True)
    maximum = serializers.IntegerField(allow_null=True)
    unit = serializers.ChoiceField(choices=["minutes", "weeks"])


class CourseSerializer(serializers.Serializer):
    sessions = serializers.IntegerField(allow_null=True, help_text="Sessions in a usual course.")
    duration = RangeSerializer(help_text="How long a usual course lasts.")


class MonitoringSerializer(serializers.Serializer):
    during = serializers.CharField(source="monitoring_during")
    after = serializers.CharField(source="monitoring_after")


class ProcessStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = TreatmentProcessStep
        fields = ("phase", "title", "description", "basis")


class TreatmentFormSerializer(ReviewedItemSerializer):
    collection = collections.by_name("treatment-forms")

    title = serializers.CharField(source="name")
    description = RichTextField()
    administration = RichTextField(help_text="How it is given, as HTML.")
    settings = serializers.SerializerMethodField(
        help_text="Where it is given; empty when no source says."
    )
    settings_basis = basis_field("settings", source="setting_basis")
    regulatory_status = OptionalChoiceField(
        RegulatoryStatus.choices,
        help_text="Whether a medicines regulator has approved this form for depression "
        "(`approved`) or it is used off-label (`off_label`); null when not stated. "
        "`regulatory_note` names the regulator and the use.",
    )
    regulatory_status_basis = basis_field("regulatory status")
    regulatory_note = OptionalTextField(
        help_text="The regulatory status in plain words: which regulator, for what use, and "
        "the conditions it sets."
    )
    regulatory_reference = ExpandableField(
        "references",
        attribute="regulatory_reference",
        allow_null=True,
        help_text="The reference that states the regulatory status (its slug, or the "
        "reference itself with `?expand=regulatory_reference`).",
    )
    session_length = serializers.SerializerMethodField()
    course = serializers.SerializerMethodField()
    monitoring = MonitoringSerializer(source="*")
    process_steps = ProcessStepSerializer(many=True)

    class Meta:
        fields = (
            *ReviewedItemSerializer.base_fields,
            "route",
            "medicine",
            "description",
            "administration",
            "settings",
            "settings_basis",
            "regulatory_status",
            "regulatory_status_basis",
            "regulatory_note",
            "regulatory_reference",
            "session_length",
            "course",
            "usual_onset",
            "dose_basis",
            "maintenance",
            "monitoring",
            "process_steps",
            "side_effects",
            "eligibility_rules",
            "conditions",
        )

    def get_settings(self, form) -> list[CareSetting]:
        return [setting for setting, field in CARE_SETTING_FIELDS.items() if getattr(form, field)]

    def get_session_length(self, form) -> RangeSerializer:
        return {
            "minimum": form.session_minutes_min,
            "maximum": form.session_minutes_max,
            "unit": "minutes",
        }

    def get_course(self, form) -> CourseSerializer:
        return {
            "sessions": form.course_sessions,
            "duration": {
                "minimum": form.course_weeks_min,
                "maximum": form.course_weeks_max,
                "unit": "weeks",
            },
        }
