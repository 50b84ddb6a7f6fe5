"""Admin views: API keys (the secret shown once, revocation), webhook endpoints (secret
rotation) and the delivery log (each attempt, redelivery)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail.admin.views import generic
from wagtail.admin.widgets import MenuItem
from wagtail.log_actions import log

from .enums import ApiKeyStatus
from .services import issue_secret, revoke_api_key
from .webhook_actions import CannotRedeliver, redeliver, rotate_secret

REVOKE_LOG_ACTION = "syndication.revoke_api_key"
ROTATE_LOG_ACTION = "syndication.rotate_webhook_secret"


class ApiKeyIndexView(generic.IndexView):
    """The list of keys, each with its status, and a "Revoke" action on each active one."""

    revoke_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().with_status()

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == ApiKeyStatus.ACTIVE and self.permission_policy.user_has_permission(
            self.request.user, "change"
        ):
            buttons.append(
                MenuItem(
                    "Revoke",
                    url=reverse(self.revoke_url_name, args=(quote(instance.pk),)),
                    icon_name="cross",
                    priority=25,
                )
            )
        return buttons


class ApiKeyCreateView(generic.CreateView):
    """Creates a key and answers with the full key on a page of its own.

    The key is in this one response and nowhere else: not in the database (only its digest),
    not in a message stored in the session or a cookie for the next page. The page is never
    cached. Reloading it does not show the key again.
    """

    def save_instance(self):
        self.full_key = issue_secret(self.form.instance)
        return super().save_instance()

    def save_action(self):
        response = render(
            self.request,
            "syndication/api_key_created.html",
            {
                "api_key": self.object,
                "full_key": self.full_key,
                "index_url": reverse(self.index_url_name),
            },
        )
        add_never_cache_headers(response)
        return response


class ApiKeyRevokeView(generic.DeleteView):
    """Confirm, then revoke: the key stops working at once and stays listed as revoked."""

    permission_required = "change"
    page_title = "Revoke"
    template_name = "syndication/confirm_revoke.html"
    success_message = "%(model_name)s '%(object)s' revoked: requests with it are now refused."
    revoke_url_name = None

    def get_delete_url(self):
        return reverse(self.revoke_url_name, args=(quote(self.object.pk),))

    def get_usage_url(self):
        return None

    @property
    def confirmation_message(self):
        return (
            f"Revoke this key of {self.object.partner}? Any site or app still using it will "
            "stop receiving content at once. This cannot be undone; create a new key to "
            "restore access."
        )

    def delete_action(self):
        revoke_api_key(self.object)
        log(instance=self.object, action=REVOKE_LOG_ACTION, user=self.request.user)


class ConfirmActionView(generic.DeleteView):
    """A confirmation page whose "yes" does `action()` instead of deleting (a POST, so a
    link followed by accident changes nothing)."""

    permission_required = "change"
    template_name = "syndication/confirm_action.html"
    action_url_name = None
    confirm_label = "Yes"
    cancel_label = "No, go back"

    def get_delete_url(self):
        return reverse(self.action_url_name, args=(quote(self.object.pk),))

    def get_usage_url(self):
        return None

    def delete_action(self):
        self.action()

    def action(self):
        raise NotImplementedError


class WebhookEndpointCreateView(generic.CreateView):
    """After creating an endpoint, its edit page, which shows the signing secret to copy."""

    success_message = (
        "Webhook endpoint '%(object)s' created. Copy its signing secret below and send it "
        "to the partner securely."
    )

    def get_success_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))


class WebhookEndpointIndexView(generic.IndexView):
    rotate_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                MenuItem(
                    "Rotate secret",
                    url=reverse(self.rotate_url_name, args=(quote(instance.pk),)),
                    icon_name="key",
                    priority=25,
                )
            )
        return buttons


class WebhookEndpointRotateView(ConfirmActionView):
    """A new signing secret; the old one keeps signing alongside it for a while."""

    page_title = "Rotate secret"
    confirm_label = "Yes, rotate"
    success_message = "A new signing secret for '%(object)s': copy it below."
    edit_url_name = None

    @property
    def confirmation_message(self):
        return (
            f"Give this endpoint of {self.object.partner} a new signing secret? For the next "
            f"{settings.WEBHOOK_SECRET_ROTATION_HOURS} hours every webhook is signed with both "
            "the new and the old secret, so the partner can switch over without missing one; "
            "after that only the new secret signs."
        )

    def action(self):
        rotate_secret(self.object)
        log(instance=self.object, action=ROTATE_LOG_ACTION, user=self.request.user)

    def get_success_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))


class WebhookDeliveryIndexView(generic.IndexView):
    """The delivery log: rows open the delivery with every attempt; nothing is edited."""

    redeliver_url_name = None

    def get_edit_url(self, instance):
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                MenuItem(
                    "Redeliver",
                    url=reverse(self.redeliver_url_name, args=(quote(instance.pk),)),
                    icon_name="resubmit",
                    priority=25,
                )
            )
        return buttons


class WebhookDeliveryInspectView(generic.InspectView):
    """A delivery: the message, where it stands, and every attempt with its answer."""

    template_name = "syndication/webhook_delivery_inspect.html"
    redeliver_url_name = None

    def get_edit_url(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attempts"] = self.object.attempts.all()
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            context["redeliver_url"] = reverse(
                self.redeliver_url_name, args=(quote(self.object.pk),)
            )
        return context


class WebhookDeliveryRedeliverView(ConfirmActionView):
    """Send a delivery again: same message id and body, a fresh round of retries."""

    page_title = "Redeliver"
    confirm_label = "Yes, send it again"
    success_message = "'%(object)s' is queued to be sent again."
    inspect_url_name = None

    @property
    def confirmation_message(self):
        return (
            f"Send this {self.object.event} message to {self.object.endpoint.url} again? It "
            "keeps its webhook-id, so a receiver that already handled it can tell."
        )

    def action(self):
        redeliver(self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except CannotRedeliver as error:
            messages.error(self.request, str(error))
            return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))
