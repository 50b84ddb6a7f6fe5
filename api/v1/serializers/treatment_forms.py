from typing import ClassVar

import django_filters
from rest_framework import serializers

from content_models import collections
from content_models.enums import CARE_SETTING_FIELDS, CareSetting, RegulatoryStatus
from content_models.models import TreatmentProcessStep

from .. import filters, jsonld
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

    def to_representation(self, step):
        # Every field is a text column (choices among them) that DRF shows as stored; read
        # directly, as a list of expanded treatment forms shows a thousand steps and more.
        return {name: getattr(step, name) for name in self.Meta.fields}


def setting_filter(model, name) -> django_filters.Filter:
    """`?setting=`: forms given in that care setting, which each setting's own yes/no field
    records (`CARE_SETTING_FIELDS`)."""

    def given_in(queryset, name, value):
        return queryset.filter(**{CARE_SETTING_FIELDS[value]: True})

    return django_filters.ChoiceFilter(
        choices=CareSetting.choices, method=given_in, help_text="Where it is given."
    )


class TreatmentFormSerializer(ReviewedItemSerializer):
    collection = collections.by_name("treatment-forms")
    ordering_fields: ClassVar = {
        "title": "name",
        "route": "route",
        "session_length": "session_minutes_min",
    }
    ordering = ("name",)
    list_filters: ClassVar = {
        "route": filters.choices(),
        "regulatory_status": filters.choices(
            help_text="Approved for depression, or used off-label."
        ),
        "setting": setting_filter,
        "condition": filters.related_slug(
            collection.relation("conditions"), "Slug of a condition it is used for."
        ),
    }
    jsonld_page: ClassVar = {
        "mainEntity": jsonld.Entity(
            "MedicalTherapy",
            description=jsonld.plain_text_of("description"),
            howPerformed=jsonld.plain_text_of("administration"),
            # Ketamine, or esketamine (Spravato): a different medicine, approved differently.
            drug=jsonld.Entity(
                "Drug", name="medicine", administrationRoute=jsonld.display_of("route")
            ),
            # schema.org gives a therapy no property for its indications or precautions; those
            # rules are described on their own pages.
            contraindication=jsonld.related_in_brief(
                "eligibility_rules", of_type="MedicalContraindication"
            ),
            adverseOutcome=jsonld.related_in_brief("side_effects"),
        )
    }

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
