from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Say in one line whether the configured database server can be reached."

    def handle(self, *args, **options):
        settings = connection.settings_dict
        where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}"
        try:
            # The server's maintenance database, as Django's test runner uses it: the project's
            # own database need not exist yet when the tests create theirs.
            with connection._nodb_cursor():
                pass
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "no answer"
            raise CommandError(
                f"The {connection.display_name} server is not reachable at {where} ({reason}). "
                "Start it with `docker compose up -d db`, or on Debian with "
                "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`."
            ) from error
        self.stdout.write(f"{connection.display_name} reachable at {where}.")
