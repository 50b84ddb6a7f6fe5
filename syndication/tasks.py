"""The worker's tasks (django-tasks, database backend "webhooks"; `manage.py webhook_worker`)."""

from django_tasks import task

from . import webhooks


@task(backend="webhooks", queue_name="webhooks")
def deliver_webhook(delivery_id: int) -> str:
    """Attempt one webhook delivery if it is due. Carries only the id: the delivery's row has
    everything else, so a task queued before a restart of the worker still does its job."""
    return webhooks.attempt_delivery(delivery_id)
