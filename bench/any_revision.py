"""Run inside any revision of the project (its own code and environment), by `bench/since.py`:
so it imports nothing of the project but Django's settings and the content models every
revision has. Two commands:

    python bench/any_revision.py fill
        The content `bench/content.py` prepares, as far as the side effects go: the demo
        content, then 100 published side effects, copies of nausea, each applying to the IV
        infusion and citing nausea's references; then the database vacuumed and analyzed.
    python bench/any_revision.py time URL ROUNDS
        GET URL ROUNDS times through Django's WSGI handler, the response cache emptied before
        each; prints one JSON line: the median process CPU time and wall time, in seconds,
        and the size of the response.
"""

import io
import json
import statistics
import sys
import time
from urllib.parse import urlsplit

import django

django.setup()

from django.core.cache import cache  # noqa: E402 - needs django.setup()
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from content_models.models import SideEffect, TreatmentForm  # noqa: E402

SIDE_EFFECTS = 100
# Requests before the measured ones: a process's first requests fill its own caches.
WARM_UP = 3


def fill() -> None:
    call_command("load_demo_content", verbosity=0)
    if not SideEffect.objects.filter(slug="bench-0").exists():
        add_side_effects(SIDE_EFFECTS)
    vacuum_analyze()


def vacuum_analyze() -> None:
    """What autovacuum does to a live database after a load, at once: the planner's
    statistics, and the visibility map that lets a count read an index alone. Without them
    PostgreSQL plans a freshly filled database's queries blind (and autovacuum may be off,
    or not yet have run, where the bench runs)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def add_side_effects(count: int) -> None:
    """Published side effects enough for a full page of 100, each linked and cited: copies of
    nausea, each applying to the IV infusion and citing nausea's references. (`make bench`'s
    too: `bench/content.py`.)"""
    nausea = SideEffect.objects.get(slug="nausea")
    form = TreatmentForm.objects.get(slug="iv-infusion")
    references = [link.reference for link in nausea.reference_links.all()]
    # The link models by the relations, wherever a revision declares them.
    form_link = SideEffect._meta.get_field("treatment_form_links").related_model
    reference_link = SideEffect._meta.get_field("reference_links").related_model
    copied = ("frequency", "frequency_basis", "severity", "severity_basis", "timing")
    fields = {field.name for field in SideEffect._meta.concrete_fields}
    for number in range(count):
        item = SideEffect(
            locale=nausea.locale,
            slug=f"bench-{number}",
            name=f"Bench effect {number}",
            summary=nausea.summary,
            description=nausea.description,
            reviewed_by=nausea.reviewed_by,
            last_reviewed_at=nausea.last_reviewed_at,
            next_review_due=nausea.next_review_due,
            live=False,
            **{name: getattr(nausea, name) for name in copied if name in fields},
        )
        item.treatment_form_links = [form_link(treatment_form=form)]
        item.reference_links = [reference_link(reference=reference) for reference in references]
        item.save()
        item.save_revision().publish()


class Requester:
    """GET through the WSGI handler, as a server calls it."""

    def __init__(self):
        self.handler = WSGIHandler()

    def get(self, url: str, **headers) -> tuple[int, bytes]:
        parts = urlsplit(url)
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_ACCEPT": "application/json",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
            **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
        }
        status = []

        def start_response(status_line, response_headers, exc_info=None):
            status.append(int(status_line.split()[0]))

        response = self.handler(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
        return status[0], body


def measure(url: str, rounds: int) -> None:
    requester = Requester()
    cpu_times, wall_times = [], []
    for number in range(WARM_UP + rounds):
        cache.clear()
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        status, body = requester.get(url)
        cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
        if status != 200:
            raise SystemExit(f"{url} answered {status}: {body[:300]!r}")
        if number >= WARM_UP:
            cpu_times.append(cpu)
            wall_times.append(wall)
    print(
        json.dumps(
            {
                "cpu": statistics.median(cpu_times),
                "wall": statistics.median(wall_times),
                "bytes": len(body),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "fill":
        fill()
    else:
        measure(sys.argv[2], int(sys.argv[3]))
