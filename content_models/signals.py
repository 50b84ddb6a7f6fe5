"""Every change that can alter what the public sees renews the content generation, in its
own transaction; publishing, unpublishing and deleting content is also logged for partners."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import published, unpublished

from .enums import ChangeAction
from .pages.article import ArticlePage
from .services import record_content_change, record_public_change
from .snippets.base import PublishableSnippet

# The content types the API serves. A page's deletion also sends `post_delete` for its
# `Page` row: only the specific page (an ArticlePage) is logged.
SYNDICATED = PublishableSnippet | ArticlePage


@receiver(post_save)
def content_saved(sender, instance, **kwargs):
    # Saving a draft changes nothing public, but treating every save as a change costs only
    # a cache refill and keeps the rule simple enough to trust (a live item saved directly,
    # outside the publish flow, is covered too).
    if isinstance(instance, PublishableSnippet | Page):
        record_content_change()


# Wagtail sends `published` and `unpublished` for pages as well as snippets (besides the
# page-only `page_published`/`page_unpublished`): one receiver each sees every change once.
@receiver(published)
def content_published(sender, instance, **kwargs):
    _record(instance, ChangeAction.PUBLISHED)


@receiver(unpublished)
def content_unpublished(sender, instance, **kwargs):
    _record(instance, ChangeAction.UNPUBLISHED)


@receiver(post_delete)
def content_deleted(sender, instance, **kwargs):
    _record(instance, ChangeAction.DELETED)


def _record(instance, action: ChangeAction) -> None:
    if isinstance(instance, SYNDICATED):
        record_public_change(instance, action)
    elif isinstance(instance, Page):
        record_content_change()
