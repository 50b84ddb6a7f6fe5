import logging
import warnings
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

START_POSTGRESQL = (
    "`docker compose up -d db`, or on Debian "
    "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
)
START_REDIS = (
    "`docker compose up -d redis`, or "
    '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`'
)


class Command(BaseCommand):
    help = "Say in one line each whether the database server and Redis (if used) answer."

    def handle(self, *args, **options):
        db = connection.settings_dict
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        try:
            # The server's maintenance database, as Django's test runner uses it: the project's
            # own database need not exist yet when the tests create theirs. When the server is
            # down Django warns at length before failing; the one line below says it all.
            # Nor do the connection pool's warnings of each attempt it makes (the database's
            # cursor comes from the pool when the maintenance database cannot be reached).
            with warnings.catch_warnings(), _silenced(logging.getLogger("psycopg.pool")):
                warnings.simplefilter("ignore", RuntimeWarning)
                with connection._nodb_cursor():
                    pass
        except DatabaseError as error:
            raise CommandError(
                f"The {connection.display_name} server is not reachable at {where} "
                f"({_last_line(error)}). Start it with {START_POSTGRESQL}."
            ) from error
        self.stdout.write(f"{connection.display_name} reachable at {where}.")

        if settings.REDIS_URL:
            try:
                # The client itself: the cache takes an unreachable Redis for a miss.
                caches["default"]._cache.get_client(write=True).ping()
            except Exception as error:  # redis-py raises its own ConnectionError family
                raise CommandError(
                    f"Redis is not reachable at {settings.REDIS_URL} ({_last_line(error)}). "
                    f"Start it with {START_REDIS}."
                ) from error
            self.stdout.write(f"Redis reachable at {settings.REDIS_URL}.")


def _last_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[-1].strip() if text else type(error).__name__


@contextmanager
def _silenced(logger: logging.Logger):
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)
