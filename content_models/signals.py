"""Receivers that hand every change to what the public sees (publishing, unpublishing,
deleting, view restrictions, page moves, expiry) to the publication service
(`publication.py`), renew the content generation on a deploy's `migrate`, and prepare a copy
made for translation as a draft of its own language (`translations.prepare_translation`)."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import copy_for_translation_done, post_page_move, published, unpublished

from . import collections, content_generation, publication
from .content_generation import content_expired
from .generation import ContentGeneration
from .translations import prepare_translation


@receiver(post_save)
def content_saved(sender, instance, update_fields=None, **kwargs):
    if isinstance(instance, PageViewRestriction):
        publication.page_visibility_changed(instance.page)
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


@receiver(pre_delete)
def content_deleting(sender, instance, **kwargs):
    publication.content_deleting(instance)


@receiver(post_delete)
def content_deleted(sender, instance, origin=None, **kwargs):
    if not isinstance(instance, PageViewRestriction):
        publication.content_deleted(instance)
    elif _is_page(origin):
        # Deleted along with its page, whose own deletion tells partners.
        publication.view_restriction_deleted_with_its_page(instance.page_id)
    else:
        publication.page_visibility_changed(instance.page)


def _is_page(origin) -> bool:
    """Whether a deletion started from a page (or pages), rather than from the object."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, Page)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # Under another parent, a page may come under a view restriction or out of one.
    publication.page_visibility_changed(instance)


@receiver(content_expired)
def expiry_reached(sender, **kwargs):
    publication.content_expired()


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
