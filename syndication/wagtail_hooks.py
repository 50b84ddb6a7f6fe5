"""The admin's "Syndication" menu: partner clinics, their licence terms and their API keys."""

import django_filters
from django import forms
from django.db import models
from django.urls import path
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import AdminDateTimeInput

from .admin_views import REVOKE_LOG_ACTION, ApiKeyCreateView, ApiKeyIndexView, ApiKeyRevokeView
from .models import ApiKey, Partner, collection_names


class CollectionsColumn(Column):
    def get_value(self, instance):
        return ", ".join(instance.collections) or "None"


class PartnerViewSet(ModelViewSet):
    model = Partner
    icon = "group"
    menu_label = "Partners"
    add_to_admin_menu = False
    form_fields = (
        "name",
        "contact_name",
        "contact_email",
        "website",
        "collections",
        "rate_limit_tier",
        "attribution_text",
        "link_back_required",
        "allowed_modifications",
    )
    list_display = (
        "name",
        "contact_name",
        CollectionsColumn("collections", label="May use"),
        "rate_limit_tier",
        DateColumn("updated_at", label="Terms changed"),
    )
    list_filter = ("rate_limit_tier", "link_back_required")
    search_fields = ("name", "contact_name", "contact_email", "website")
    search_backend_name = None  # plain database lookups: partners are not in the search index
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "collections":
            # Stored as a JSON list; chosen from the API's collections with checkboxes.
            return forms.MultipleChoiceField(
                choices=[
                    (name, name.replace("-", " ").capitalize()) for name in collection_names()
                ],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label="Content they may use",
                help_text=db_field.help_text,
            )
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)


class ApiKeyFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")],
        method="filter_status",
    )

    class Meta:
        model = ApiKey
        fields = ("partner", "status")

    def filter_status(self, queryset, name, value):
        from django.utils import timezone

        now = timezone.now()
        not_expired = models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset.filter(not_expired, revoked_at__isnull=True)


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = "API keys"
    add_to_admin_menu = False
    index_view_class = ApiKeyIndexView
    add_view_class = ApiKeyCreateView
    form_fields = ("partner", "name", "expires_at")
    list_display = (
        "name",
        Column("prefix", label="Key starts with"),
        "partner",
        Column("status", label="Status"),
        DateColumn("created_at", label="Created"),
        DateColumn("expires_at", label="Expires"),
        DateColumn("revoked_at", label="Revoked"),
        DateColumn("last_used_at", label="Last used"),
    )
    filterset_class = ApiKeyFilterSet
    search_fields = ("name", "key_id", "partner__name")
    search_backend_name = None
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = AdminDateTimeInput
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_form_class(self, for_update=False):
        if for_update:  # a key stays with the partner it was made for
            return forms.modelform_factory(
                self.model,
                formfield_callback=self.formfield_for_dbfield,
                fields=("name", "expires_at"),
            )
        return super().get_form_class(for_update)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(revoke_url_name=self.get_url_name("revoke"), **kwargs)

    @property
    def revoke_view(self):
        return self.construct_view(
            ApiKeyRevokeView,
            **self.get_delete_view_kwargs(revoke_url_name=self.get_url_name("revoke")),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<str:pk>/", self.revoke_view, name="revoke"),
        ]


class SyndicationGroup(ModelViewSetGroup):
    menu_label = "Syndication"
    menu_icon = "site"
    menu_order = 200
    items = (PartnerViewSet, ApiKeyViewSet)


@hooks.register("register_admin_viewset")
def register_syndication():
    return SyndicationGroup()


@hooks.register("register_log_actions")
def register_revoke_log_action(actions):
    actions.register_action(REVOKE_LOG_ACTION, "Revoke API key", "API key revoked")
