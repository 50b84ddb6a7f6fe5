from wagtail.management.commands import publish_scheduled

from content_models import publication


class Command(publish_scheduled.Command):
    """Wagtail's `publish_scheduled` (publish what is due, unpublish what has expired), in one
    transaction: Wagtail's publish and unpublish are not atomic on their own, and each must
    commit together with the change-log entry partners sync from, or not at all. The content
    generation is renewed once for the whole run. Run it every minute or so
    (docker-compose.yml's `scheduler` service does)."""

    help = "Publish the content scheduled to go live and unpublish expired content."

    def handle(self, *args, **options):
        with publication.atomic():
            super().handle(*args, **options)
