"""Receivers that hand every change to what the public sees to the publication service
(`publication.py`), renew the content generation on a deploy's `migrate`, and prepare a copy
made for translation as a draft of its own language (`translations.prepare_translation`)."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import copy_for_translation_done, published, unpublished

from . import collections, content_generation, publication
from .generation import ContentGeneration
from .translations import prepare_translation


@receiver(post_save)
def content_saved(sender, instance, update_fields=None, **kwargs):
    if isinstance(instance, PageViewRestriction):
        publication.view_restriction_changed(instance.page_id)
    else:
        publication.content_saved(instance, update_fields=update_fields)


# Wagtail sends `published` and `unpublished` for pages as well as snippets (besides the
# page-only `page_published`/`page_unpublished`): one receiver each sees every change once.
@receiver(published)
def content_published(sender, instance, **kwargs):
    publication.content_published(instance)


@receiver(unpublished)
def content_unpublished(sender, instance, **kwargs):
    publication.content_unpublished(instance)


@receiver(post_delete)
def content_deleted(sender, instance, **kwargs):
    if isinstance(instance, PageViewRestriction):
        publication.view_restriction_changed(instance.page_id)
    else:
        publication.content_deleted(instance)


@receiver(post_migrate)
def code_deployed(sender, **kwargs):
    # A deploy runs `migrate`: responses cached by the code it replaces may differ from what
    # this code answers, so none of them is served again. (The row is missing only while
    # the migrations that create it have not run, or after a test flushed every table.)
    if sender.name == "content_models" and ContentGeneration.objects.filter(pk=1).exists():
        content_generation.renew()


@receiver(copy_for_translation_done)
def translation_copied(sender, source_obj, target_obj, **kwargs):
    if collections.is_public_model(type(target_obj)):
        prepare_translation(target_obj)
