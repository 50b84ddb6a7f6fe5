from django.contrib.contenttypes.models import ContentType
from django.db import models

from .enums import ChangeAction


class ContentChange(models.Model):
    """One change to what the public sees: an item published, updated, unpublished or deleted.

    Written in the same transaction as the change itself, after the content generation row
    has been rewritten. That row is locked until the transaction commits, so changes are
    written one at a time: a change's `id` is its place in commit order, and a reader that has
    seen change N can never later find a committed change below N. Partners' incremental sync
    and webhooks follow this order.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    # The item's primary key: it survives a change of slug; the item itself may be deleted.
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=255, help_text="The item's slug when the change happened.")
    language_code = models.CharField(max_length=100)
    action = models.CharField(max_length=20, choices=ChangeAction.choices)
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [  # noqa: RUF012 - Django reads Meta attributes once
            models.Index(fields=["content_type", "object_id", "-id"], name="content_change_item")
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.content_type.model} {self.slug}"
