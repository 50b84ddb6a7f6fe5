"""Benchmark: how long the content API takes to answer, cold and warm, on PostgreSQL.

Run with `make bench` (it creates a scratch database). Prints a Markdown table; the recorded
results are in bench/results.md. Timings are medians of in-process requests through the
whole Django stack (middleware, cache, serializers), without network or server overhead.
"""

import statistics
import time

import django

django.setup()

from django.core.cache import cache  # noqa: E402 - needs django.setup()
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from content_models.demo_content.loader import load_demo_content  # noqa: E402
from content_models.models import (  # noqa: E402
    SideEffect,
    SideEffectReference,
    SideEffectTreatmentForm,
    TreatmentForm,
)

RUNS = 30
CASES = [
    (
        "side effects, 100 per page, every expansion",
        "/api/v1/side-effects/?limit=100&expand=treatment_forms,references,reviewed_by",
    ),
    (
        "treatment forms, every expansion",
        "/api/v1/treatment-forms/?expand=side_effects,eligibility_rules,conditions,references,reviewed_by",
    ),
    ("article detail with embedded blocks", "/api/v1/articles/what-to-expect-iv-ketamine/"),
    ("search across collections", "/api/v1/search/?q=blood+pressure"),
    ("manifest, 100 per page", "/api/v1/manifest/?limit=100"),
    ("sync, first page of 100 items in full", "/api/v1/sync/?limit=100"),
]


def add_side_effects(count: int) -> None:
    """Enough published side effects for a full page of 100, each linked and cited."""
    nausea = SideEffect.objects.get(slug="nausea")
    form = TreatmentForm.objects.get(slug="iv-infusion")
    references = [link.reference for link in nausea.reference_links.all()]
    for number in range(count):
        item = SideEffect(
            locale=nausea.locale,
            slug=f"bench-{number}",
            name=f"Bench effect {number}",
            summary=nausea.summary,
            description=nausea.description,
            frequency=nausea.frequency,
            severity=nausea.severity,
            timing=nausea.timing,
            reviewed_by=nausea.reviewed_by,
            last_reviewed_at=nausea.last_reviewed_at,
            next_review_due=nausea.next_review_due,
            live=False,
        )
        item.treatment_form_links = [SideEffectTreatmentForm(treatment_form=form)]
        item.reference_links = [SideEffectReference(reference=ref) for ref in references]
        item.save()
        item.save_revision().publish()


def median_ms(client: Client, path: str, clear_cache: bool, **headers) -> float:
    timings = []
    for _ in range(RUNS):
        if clear_cache:
            cache.clear()
        start = time.perf_counter()
        response = client.get(path, **headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 304), (path, response.status_code)
    return statistics.median(timings)


def main() -> None:
    call_command("migrate", verbosity=0)
    if not SideEffect.objects.filter(slug="nausea").exists():
        load_demo_content()
        add_side_effects(100)
    client = Client(HTTP_HOST="localhost")
    print("| request | cache miss (ms) | cache hit (ms) | 304 (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for label, path in CASES:
        miss = median_ms(client, path, clear_cache=True)
        hit = median_ms(client, path, clear_cache=False)
        etag = client.get(path)["ETag"]
        not_modified = median_ms(client, path, clear_cache=False, HTTP_IF_NONE_MATCH=etag)
        print(f"| {label} | {miss:.1f} | {hit:.1f} | {not_modified:.1f} |")


if __name__ == "__main__":
    main()
