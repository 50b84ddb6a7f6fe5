"""Admin views for API keys: the create view that shows the secret once, and revocation."""

from django.contrib.admin.utils import quote
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail.admin.views import generic
from wagtail.admin.widgets import MenuItem
from wagtail.log_actions import log

from .services import issue_secret, revoke_api_key

REVOKE_LOG_ACTION = "syndication.revoke_api_key"


class ApiKeyIndexView(generic.IndexView):
    """The list of keys, with a "Revoke" action on each active one."""

    revoke_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == "Active" and self.permission_policy.user_has_permission(
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
