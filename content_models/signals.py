"""Every change that can alter what the public sees renews the content generation, in its
own transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, published, unpublished

from .services import record_content_change
from .snippets.base import PublishableSnippet


@receiver(published)
@receiver(unpublished)
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, instance, **kwargs):
    # Saving a draft changes nothing public, but treating every save as a change costs only
    # a cache refill and keeps the rule simple enough to trust (a live item saved directly,
    # outside the publish flow, is covered too).
    if isinstance(instance, PublishableSnippet | Page):
        record_content_change()
