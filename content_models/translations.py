"""Translations: a translated item is a draft of its own, in its own language, whose relations
point at items of that language.

Wagtail copies an item field by field for translation (`copy_for_translation`, behind the
admin's "Translate" action from `wagtail.contrib.simple_translation`). Left as it is, the copy
of a snippet would keep the source's publication state and dates (live at once, "first
published" years ago) and its links to items of the source language, so an English treatment
form would list a Spanish side effect and a Spanish item would cite English references.
`prepare_translation` runs on every such copy (on Wagtail's `copy_for_translation_done`
signal): the copy becomes an unpublished draft, and, as wagtail-localize does for related
snippets, each item it relates to or embeds is replaced by that item's translation, which is
created (as a draft, prepared the same way) when there is none yet. Review fields are not
copied at all (`MedicallyReviewed.exclude_fields_in_copy`): a translation is new text that
its own review must approve.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.blocks.struct_block import StructValue
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.blocks import SnippetChooserBlock

# A snippet's copy starts as a new draft, as Wagtail's copy of a page does.
NEW_DRAFT = {
    "live": False,
    "has_unpublished_changes": True,
    "live_revision": None,
    "first_published_at": None,
    "last_published_at": None,
    "expired": False,
    "locked": False,
    "locked_at": None,
    "locked_by": None,
}


def prepare_translation(translation) -> None:
    """Make a copy made for translation a draft of its language, related to items of its
    language.

    Wagtail hands over a snippet's copy before it is saved (its caller saves it) and a page's
    copy after saving it with a first revision, which then gets the corrected content.
    """
    locale = translation.locale
    if isinstance(translation, Page):
        _point_relations_at(translation, locale)
        translation.save()
        translation.save_revision(changed=False, clean=False)
        return
    for name, value in NEW_DRAFT.items():
        if hasattr(translation, name):
            setattr(translation, name, value)
    translation.slug = _free_slug(translation)
    _point_relations_at(translation, locale)


def translation_in(item, locale: Locale):
    """`item` in `locale`: itself if it is already in that language, else its translation,
    which is created (an unpublished draft) if it does not exist yet."""
    if item.locale_id == locale.pk:
        return item
    translation = item.get_translation_or_none(locale)
    if translation is None:
        translation = item.copy_for_translation(locale)  # prepared by `prepare_translation`
        translation.save()
    return translation


def _point_relations_at(item, locale: Locale) -> None:
    """Swap every item `item` relates to, through its own foreign keys, its inline rows or
    the blocks of its StreamFields, for that item's translation in `locale`."""
    _translate_foreign_keys(item, locale)
    for relation in get_all_child_relations(type(item)):
        rows = getattr(item, relation.get_accessor_name())
        translated_rows = list(rows.all())
        for row in translated_rows:
            _translate_foreign_keys(row, locale)
        # Held in the item's cluster until it is saved: a saved page's rows come fresh from
        # the database, and changes to them would otherwise be lost.
        rows.set(translated_rows)
    for field in item._meta.concrete_fields:
        if isinstance(field, StreamField):
            value = getattr(item, field.name)
            setattr(item, field.name, _translated_block_value(field.stream_block, value, locale))


def _translate_foreign_keys(instance, locale: Locale) -> None:
    for field in instance._meta.concrete_fields:
        is_link_to_content = (
            isinstance(field, models.ForeignKey)
            and not isinstance(field, ParentalKey)
            and issubclass(field.related_model, TranslatableMixin)
        )
        if is_link_to_content and (related := getattr(instance, field.name)) is not None:
            setattr(instance, field.name, translation_in(related, locale))


def _translated_block_value(block, value, locale: Locale):
    """A block's value with every snippet it embeds swapped for its translation, keeping
    block ids, so that the translation's blocks line up with the source's."""
    if isinstance(block, SnippetChooserBlock):
        return translation_in(value, locale) if value is not None else None
    if isinstance(block, blocks.StreamBlock):
        return StreamValue(
            block,
            [
                (
                    child.block_type,
                    _translated_block_value(child.block, child.value, locale),
                    child.id,
                )
                for child in value
            ],
        )
    if isinstance(block, blocks.ListBlock):
        return ListValue(
            block,
            bound_blocks=[
                ListValue.ListChild(
                    block.child_block,
                    _translated_block_value(block.child_block, child.value, locale),
                    id=child.id,
                )
                for child in value.bound_blocks
            ],
        )
    if isinstance(block, blocks.StructBlock):
        return StructValue(
            block,
            [
                (name, _translated_block_value(block.child_blocks[name], child_value, locale))
                for name, child_value in value.items()
            ],
        )
    return value


def _free_slug(translation) -> str:
    """The source's slug, unless an item written directly in the language (not translated)
    already has it: then the first of `<slug>-2`, `<slug>-3`, ... that is free. Editors can
    change it before publishing."""
    taken = set(
        type(translation)
        .objects.filter(locale=translation.locale, slug__startswith=translation.slug)
        .values_list("slug", flat=True)
    )
    slug, number = translation.slug, 1
    while slug in taken:
        number += 1
        slug = f"{translation.slug}-{number}"
    return slug
