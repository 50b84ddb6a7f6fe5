from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content_models.demo_content.loader import (
    DEMO_CONTENT_FILE,
    DemoContentError,
    load_demo_content,
)


class Command(BaseCommand):
    help = (
        "Publish the demo content (from the seed articles) that is not already there. "
        "Safe to run again: existing items are left as editors made them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=DEMO_CONTENT_FILE, help="The YAML data file to load."
        )

    def handle(self, *args, file: Path, **options):
        try:
            created = load_demo_content(file, progress=self.stdout.write)
        except DemoContentError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {sum(created.values())} items created.")
        )
