"""Every change logged for partners is announced to the webhook endpoints that want it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from content_models.models import ContentChange

from .webhook_queueing import queue_deliveries


@receiver(post_save, sender=ContentChange)
def content_change_logged(sender, instance, created, **kwargs):
    if created:
        queue_deliveries(instance)
