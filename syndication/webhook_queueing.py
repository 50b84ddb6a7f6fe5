"""Queueing: which endpoints hear of a change, the message each gets, and the worker's task.

A change to public content is logged (`ContentChange`) inside the publish's transaction;
`queue_deliveries` (a `post_save` receiver in `signals.py`) adds one `WebhookDelivery` per
endpoint that wants the event and whose partner may use the collection, and queues the
worker's task for each (`tasks.py`), all in the same transaction: a rolled-back publish
leaves no delivery and no task, and a committed one cannot leave a delivery without its
task. The worker then sends each (`webhook_delivery.py`, `webhook_transport.py`).
"""

import json
import uuid

from django.conf import settings

from content_models import collections
from content_models.collections import Collection
from content_models.models import ContentChange

from .models import WebhookDelivery, WebhookEndpoint
from .tasks import enqueue


def payload_for(change: ContentChange, collection: Collection) -> dict:
    """The thin payload: what changed and where to fetch it; the sync brings the content."""
    occurred_at = change.occurred_at.isoformat()
    return {
        "type": f"content.{change.action}",
        "timestamp": occurred_at,
        "data": {
            "collection": collection.name,
            "type": collection.type_name,
            "id": change.object_id,
            "slug": change.slug,
            "locale": change.language_code,
            "url": settings.API_BASE_URL + collection.api_path(change.slug, change.language_code),
            "occurred_at": occurred_at,
            "sequence": change.id,
        },
    }


def queue_deliveries(change: ContentChange) -> list[WebhookDelivery]:
    """A delivery for each active endpoint that wants this change, and the worker's task for
    each, as part of the caller's transaction."""
    collection = collections.for_model(change.content_type.model_class())
    if collection is None:
        return []
    event = f"content.{change.action}"
    # Filtered here, not with JSON lookups, so it also works on the SQLite of `make run`.
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).select_related("partner")
        if event in endpoint.events and collection.name in endpoint.partner.collections
    ]
    if not endpoints:
        return []
    body = json.dumps(payload_for(change, collection), separators=(",", ":"))
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            change=change,
            message_id=f"msg_{uuid.uuid4().hex}",
            event=event,
            payload=body,
            next_attempt_at=change.occurred_at,
        )
        for endpoint in endpoints
    )
    enqueue([delivery.pk for delivery in deliveries])
    return deliveries
