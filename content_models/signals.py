"""Every change to what the public can see bumps the content generation, in its transaction."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, published, unpublished

from .services import record_content_change
from .snippets.base import PublishableSnippet


@receiver(published)
@receiver(unpublished)
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete)
def content_changed(sender, instance, **kwargs):
    # Deleting a draft-only item changes nothing public, but counting it costs one cached
    # response generation and keeps this rule simple enough to trust.
    if isinstance(instance, PublishableSnippet | Page):
        record_content_change()
