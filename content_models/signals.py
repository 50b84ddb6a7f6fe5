"""Every change that can alter what the public sees renews the content generation, in its
own transaction (and so does a deploy's `migrate`); publishing, unpublishing and deleting
content is also logged for partners."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import published, unpublished

from . import collections
from .enums import ChangeAction
from .generation import ContentGeneration
from .services import record_content_change, record_public_change
from .snippets.base import PublishableSnippet

# The content types the public reads. A page's deletion also sends `post_delete` for its
# `Page` row: only the specific page (an ArticlePage) is logged.
SYNDICATED = tuple(collections.MODELS)


# What can change what the public sees: content, and who may view a page.
AFFECTS_PUBLIC = PublishableSnippet | Page | PageViewRestriction


@receiver(post_save)
def content_saved(sender, instance, **kwargs):
    # Saving a draft changes nothing public, but treating every save as a change costs only
    # a cache refill and keeps the rule simple enough to trust (a live item saved directly,
    # outside the publish flow, is covered too).
    if isinstance(instance, AFFECTS_PUBLIC):
        record_content_change()


@receiver(post_migrate)
def code_deployed(sender, **kwargs):
    # A deploy runs `migrate`: responses cached by the code it replaces may differ from what
    # this code answers, so none of them is served again. (The row is missing only while
    # the migrations that create it have not run, or after a test flushed every table.)
    if sender.name == "content_models" and ContentGeneration.objects.filter(pk=1).exists():
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
    elif isinstance(instance, AFFECTS_PUBLIC):
        record_content_change()
