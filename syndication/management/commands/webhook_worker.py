"""`manage.py webhook_worker`: django-tasks-db's `db_worker` for the webhooks queue."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from syndication.tasks import requeue_outstanding


class Command(DbWorkerCommand):
    help = (
        "Send webhooks: queue a task for every outstanding delivery (one whose task was lost "
        "with a crashed worker goes too), then run the database worker on the webhooks queue."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(backend_name="webhooks", queue_name="webhooks")

    def handle(self, *args, **options):
        count = requeue_outstanding()
        if options["verbosity"]:
            self.stdout.write(f"{count} outstanding webhook deliveries queued.")
        super().handle(*args, **options)
