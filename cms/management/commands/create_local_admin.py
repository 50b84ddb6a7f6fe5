from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "changeme"


class Command(BaseCommand):
    help = "Create the local development admin login (dev settings only) and print it."

    def handle(self, *args, **options):
        # Known credentials are only acceptable on a developer's own machine.
        if not settings.LOCAL_ADMIN_ENABLED:
            raise CommandError("A local admin login is only created with the dev settings.")
        user_model = get_user_model()
        if user_model.objects.filter(username=USERNAME).exists():
            self.stdout.write(f"Local admin login: {USERNAME} (already exists, password unchanged)")
            return
        user_model.objects.create_superuser(USERNAME, "admin@localhost", PASSWORD)
        self.stdout.write(f"Local admin login: {USERNAME} / {PASSWORD} (created)")
