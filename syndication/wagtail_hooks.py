"""The admin's "Syndication" menu: partner clinics, their licence terms, their API keys,
their webhook endpoints and the webhook delivery log."""

import django_filters
from django import forms
from django.db import models
from django.urls import path
from django.views.generic import RedirectView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from content_models import collections

from .admin_views import (
    REVOKE_LOG_ACTION,
    ROTATE_LOG_ACTION,
    ApiKeyCreateView,
    ApiKeyIndexView,
    ApiKeyRevokeView,
    WebhookDeliveryIndexView,
    WebhookDeliveryInspectView,
    WebhookDeliveryRedeliverView,
    WebhookEndpointCreateView,
    WebhookEndpointIndexView,
    WebhookEndpointRotateView,
)
from .enums import ApiKeyStatus, DeliveryStatus, WebhookEvent
from .models import ApiKey, Partner, WebhookDelivery, WebhookEndpoint


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
                choices=[(name, name.replace("-", " ").capitalize()) for name in collections.NAMES],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label="Content they may use",
                help_text=db_field.help_text,
            )
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)


class ApiKeyFilterSet(WagtailFilterSet):
    # The status the list's queryset adds (`ApiKey.objects.with_status()`).
    status = django_filters.ChoiceFilter(label="Status", choices=ApiKeyStatus.choices)

    class Meta:
        model = ApiKey
        fields = ("partner", "status")


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
        Column("status", label="Status", accessor=lambda key: ApiKeyStatus(key.status).label),
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


class EventsColumn(Column):
    def get_value(self, instance):
        return ", ".join(event.removeprefix("content.") for event in instance.events)


class WebhookEndpointViewSet(ModelViewSet):
    """Endpoints and their signing secrets.

    The secret is shown on the endpoint's edit page, to whoever may edit endpoints, rather
    than once like an API key: the server must keep it in clear to sign every webhook, so
    hiding it after the first page would protect nothing and only force a rotation whenever a
    partner mislaid it.
    """

    model = WebhookEndpoint
    icon = "link-external"
    menu_label = "Webhook endpoints"
    add_to_admin_menu = False
    index_view_class = WebhookEndpointIndexView
    add_view_class = WebhookEndpointCreateView
    form_fields = ("partner", "url", "description", "events", "is_active")
    list_display = (
        "url",
        "partner",
        EventsColumn("events", label="Events"),
        Column("status", label="Status"),
        DateColumn("created_at", label="Created"),
    )
    list_filter = ("partner", "is_active")
    search_fields = ("url", "description", "partner__name")
    search_backend_name = None
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "events":
            return forms.MultipleChoiceField(
                choices=WebhookEvent.choices,
                widget=forms.CheckboxSelectMultiple,
                initial=WebhookEvent.values,
                label="Events",
                help_text=db_field.help_text,
            )
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if not for_update:
            return form_class

        class EndpointEditForm(form_class):
            """Shows the signing secrets in use, read-only (a disabled field is not posted)."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["signing_secret"] = forms.CharField(
                    initial=self.instance.secret,
                    disabled=True,
                    required=False,
                    help_text="Give it to the partner to verify signatures. 'Rotate secret' in "
                    "the list of endpoints makes a new one.",
                )
                in_use = self.instance.secrets_in_use()
                if len(in_use) > 1:
                    expires = self.instance.previous_secret_expires_at
                    self.fields["previous_signing_secret"] = forms.CharField(
                        initial=in_use[1],
                        disabled=True,
                        required=False,
                        help_text=f"Still signs every webhook too, until {expires:%Y-%m-%d %H:%M}"
                        " UTC.",
                    )
                if not self.instance.is_active and self.instance.disabled_reason:
                    self.fields[
                        "is_active"
                    ].help_text = (
                        f"Disabled: {self.instance.disabled_reason}. Tick to send to it again."
                    )

        return EndpointEditForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(rotate_url_name=self.get_url_name("rotate"), **kwargs)

    @property
    def rotate_view(self):
        return self.construct_view(
            WebhookEndpointRotateView,
            **self.get_delete_view_kwargs(
                action_url_name=self.get_url_name("rotate"),
                edit_url_name=self.get_url_name("edit"),
            ),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("rotate/<int:pk>/", self.rotate_view, name="rotate"),
        ]


class DeliveryLogPolicy(ModelPermissionPolicy):
    """Deliveries are made by the worker, never added or deleted by hand; "change" lets an
    editor redeliver."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(WebhookDelivery, DeliveryLogPolicy(WebhookDelivery))


class WebhookDeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    endpoint = django_filters.ModelChoiceFilter(queryset=WebhookEndpoint.objects.all())
    partner = django_filters.ModelChoiceFilter(
        field_name="endpoint__partner", queryset=Partner.objects.all(), label="Partner"
    )
    event = django_filters.ChoiceFilter(choices=WebhookEvent.choices)

    class Meta:
        model = WebhookDelivery
        fields = ("status", "endpoint", "partner", "event")


class WebhookDeliveryViewSet(ModelViewSet):
    """The delivery log: one row per change announced to an endpoint, with its attempts."""

    model = WebhookDelivery
    icon = "resubmit"
    menu_label = "Deliveries"
    add_to_admin_menu = False
    index_view_class = WebhookDeliveryIndexView
    inspect_view_enabled = True
    inspect_view_class = WebhookDeliveryInspectView
    inspect_view_fields = (
        "event",
        "message_id",
        "endpoint",
        "status",
        "attempt_count",
        "first_attempt_at",
        "last_attempt_at",
        "next_attempt_at",
        "created_at",
        "payload",
    )
    form_fields = ("status",)  # never shown: the edit address leads to the inspect page
    list_display = (
        "event",
        Column("sequence", label="Sequence"),
        Column("endpoint", label="Endpoint"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("attempt_count", label="Attempts"),
        DateColumn("last_attempt_at", label="Last attempt"),
        DateColumn("next_attempt_at", label="Next attempt"),
    )
    filterset_class = WebhookDeliveryFilterSet
    search_fields = ("message_id", "endpoint__url", "endpoint__partner__name", "change__slug")
    search_backend_name = None
    copy_view_enabled = False

    def get_queryset(self, request):
        return WebhookDelivery.objects.select_related("endpoint__partner", "change")

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            redeliver_url_name=self.get_url_name("redeliver"), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            redeliver_url_name=self.get_url_name("redeliver"), **kwargs
        )

    @property
    def redeliver_view(self):
        return self.construct_view(
            WebhookDeliveryRedeliverView,
            **self.get_delete_view_kwargs(
                action_url_name=self.get_url_name("redeliver"),
                inspect_url_name=self.get_url_name("inspect"),
            ),
        )

    def get_urlpatterns(self):
        inspect = self.get_url_name("inspect")
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name not in ("edit", "copy")
        ] + [
            path(
                "edit/<int:pk>/",
                RedirectView.as_view(pattern_name=inspect, permanent=False),
                name="edit",
            ),
            path("redeliver/<int:pk>/", self.redeliver_view, name="redeliver"),
        ]


class SyndicationGroup(ModelViewSetGroup):
    menu_label = "Syndication"
    menu_icon = "site"
    menu_order = 200
    items = (PartnerViewSet, ApiKeyViewSet, WebhookEndpointViewSet, WebhookDeliveryViewSet)


@hooks.register("register_admin_viewset")
def register_syndication():
    return SyndicationGroup()


@hooks.register("register_log_actions")
def register_revoke_log_action(actions):
    actions.register_action(REVOKE_LOG_ACTION, "Revoke API key", "API key revoked")
    actions.register_action(
        ROTATE_LOG_ACTION, "Rotate webhook secret", "Webhook signing secret rotated"
    )
