"""Benchmark: cold (uncached) reads of this API beside Wagtail's API v2, on the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> REDIS_URL=redis://127.0.0.1:6379/<n> \
        .venv/bin/python -m bench.cold_reads [--articles 50] [--rounds 60] [--profile CASE]
        [--phases CASE]

In process, through Django's WSGI handler (every middleware, as gunicorn would call it, with
production settings: bench/settings.py), with the response cache emptied before each request
of this API (Wagtail's v2 has none). Requests of the two APIs alternate, so a busy machine
slows both alike; each figure is the median of `--rounds` requests. Prints requests/s and the
ratio ours / v2. The results are recorded in bench/cold_reads.md.

`--phases CASE` times the parts of one case's requests (the median time spent in each), without
a profiler's overhead: where an article's detail spends its time. With PROFILE_V2=1, `--profile`
and `--phases` take v2's requests of the case instead of ours.

`--dump DIR` writes the exact bytes of a set of responses (every collection, list and detail,
with every expansion, fields, search, manifest, sync) to DIR, to compare two versions of the
code byte for byte (`cmp -r`).
"""

import argparse
import cProfile
import functools
import io
import os
import pstats
import statistics
import time
from collections import defaultdict
from pathlib import Path

# The production settings refuse to start without these; this runs on 127.0.0.1 only.
for name, value in {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": "bench-only-key",
    "ALLOWED_HOSTS": "localhost",
    "ENFORCE_HTTPS": "false",
    "SECURE_COOKIES": "false",
    "API_RATE_LIMIT_ANONYMOUS": "100000000/minute",
}.items():
    os.environ.setdefault(name, value)

import django  # noqa: E402 - after the environment it reads

django.setup()

from django.core.cache import cache  # noqa: E402 - needs django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from api.renderers import HTMLSafeJSONRenderer  # noqa: E402
from api.v1.endpoints.base import ContentViewSet  # noqa: E402
from api.v1.serializers.articles import ArticleSerializer  # noqa: E402
from api.v1.serializers.base import RichTextBatch  # noqa: E402
from bench.any_revision import Requester, add_side_effects, vacuum_analyze  # noqa: E402
from bench.content import RICHEST_ARTICLE  # noqa: E402
from content_models import collections, content_generation  # noqa: E402
from content_models.demo_content.loader import load_demo_content  # noqa: E402
from content_models.models import ArticlePage, SideEffect  # noqa: E402
from content_models.publication import atomic as publication_atomic  # noqa: E402

ARTICLE_PREFIX = "bench-article-"
SIDE_EFFECT_PREFIX = "bench-"
V2_LIST_FIELDS = "summary,last_reviewed_at,next_review_due,reviewed_by,last_published_at"


def add_articles(count: int) -> None:
    """`count` published articles, copies of the demo articles in turn (body, citations)."""
    existing = ArticlePage.objects.filter(slug__startswith=ARTICLE_PREFIX).count()
    originals = list(ArticlePage.objects.live().exclude(slug__startswith=ARTICLE_PREFIX))
    with publication_atomic():
        for number in range(existing, count):
            original = originals[number % len(originals)]
            copy = original.copy(
                update_attrs={
                    "slug": f"{ARTICLE_PREFIX}{number}",
                    "title": f"{original.title} ({number})",
                },
                keep_live=False,
                copy_revisions=False,
                log_action=None,
            )
            copy.save_revision().publish(log_action=None)


def prepare(articles: int) -> None:
    call_command("migrate", verbosity=0)
    if not SideEffect.objects.filter(slug="nausea").exists():
        load_demo_content()
    if not SideEffect.objects.filter(slug__startswith=SIDE_EFFECT_PREFIX).exists():
        add_side_effects(100)
    add_articles(articles)
    vacuum_analyze()


def cases() -> list[tuple[str, list[str], list[str]]]:
    """(label, our addresses, v2's addresses of the same rows): each round asks for the next
    address of its list."""
    articles = ArticlePage.objects.live().exclude(slug__startswith=ARTICLE_PREFIX).order_by("pk")
    richest = articles.get(slug=RICHEST_ARTICLE)
    v2_list = (
        f"/wagtail-api/v2/pages/?type=content_models.ArticlePage&limit=20&fields={V2_LIST_FIELDS}"
    )
    return [
        (
            "article list, 20",
            ["/api/v1/articles/?limit=20"],
            [v2_list],
        ),
        (
            "article detail (each demo article in turn)",
            [f"/api/v1/articles/{article.slug}/" for article in articles],
            [f"/wagtail-api/v2/pages/{article.pk}/" for article in articles],
        ),
        (
            # What `make bench` asks for (its articles are copies of this one): the median
            # of the case above is that of the smaller articles.
            "article detail, the richest",
            [f"/api/v1/articles/{richest.slug}/"],
            [f"/wagtail-api/v2/pages/{richest.pk}/"],
        ),
        (
            # v2 has no side effects: its article list is only the yardstick here, which
            # keeps the figure comparable between runs on a machine busy to a varying degree.
            "side effects, 100, every expansion (v2: its article list, as a yardstick)",
            ["/api/v1/side-effects/?limit=100&expand=treatment_forms,references,reviewed_by"],
            [v2_list],
        ),
    ]


def empty_response_cache() -> None:
    """No response cached, the content generation held in Redis: a cache miss as a server
    meets it (the generation is only read from the database after Redis lost it)."""
    cache.clear()
    content_generation.current()


def timed(requester: Requester, url: str, *, cold: bool) -> float:
    if cold:
        empty_response_cache()
    start = time.perf_counter()
    status, _body = requester.get(url)
    elapsed = time.perf_counter() - start
    assert status == 200, (url, status)
    return elapsed


def measure(rounds: int) -> None:
    requester = Requester()
    print("| request | ours (req/s) | Wagtail v2 (req/s) | ours / v2 |")
    print("| --- | ---: | ---: | ---: |")
    for label, ours, v2 in cases():
        for url in ours + v2:  # warm Django's per-process caches (content types, URLs)
            timed(requester, url, cold=True)
        ours_times, v2_times = [], []
        for number in range(rounds):
            ours_times.append(timed(requester, ours[number % len(ours)], cold=True))
            v2_times.append(timed(requester, v2[number % len(v2)], cold=False))
        ours_rate = 1 / statistics.median(ours_times)
        v2_rate = 1 / statistics.median(v2_times)
        print(f"| {label} | {ours_rate:.1f} | {v2_rate:.1f} | {ours_rate / v2_rate:.3g}x |")


def warmed_addresses(case: str, requester: Requester) -> list[str]:
    """The addresses of the case (label prefix) whose parts `--profile` and `--phases` look
    at: ours, or v2's with PROFILE_V2 set; each asked for once, to fill the process's caches."""
    _label, ours, v2 = next(c for c in cases() if c[0].startswith(case))
    urls = v2 if os.environ.get("PROFILE_V2") else ours
    for url in urls:
        timed(requester, url, cold=True)
    return urls


def profile(case: str, rounds: int) -> None:
    requester = Requester()
    urls = warmed_addresses(case, requester)
    profiler = cProfile.Profile()
    for number in range(rounds):
        empty_response_cache()
        profiler.enable()
        requester.get(urls[number % len(urls)])
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(40)
    print(out.getvalue())


# What `--phases` times: the time spent in each of these functions (nested ones included in
# their callers': the body's embedded items are read within the body, the body within the view).
PHASES = {
    "the view (DRF's dispatch)": (APIView, "dispatch"),
    "reading the item": (ContentViewSet, "get_object"),
    "an article's body (its embedded items read and serialized)": (ArticleSerializer, "get_body"),
    "reading the body's embedded items": (ArticleSerializer, "_live_embedded_items"),
    "rich text (links resolved, HTML cleaned)": (RichTextBatch, "expand_in"),
    "writing the JSON": (HTMLSafeJSONRenderer, "render"),
}


def phases(case: str, rounds: int) -> None:
    requester = Requester()
    urls = warmed_addresses(case, requester)
    spent = defaultdict(float)

    def timed_in(label, function):
        @functools.wraps(function)
        def timed_function(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        return timed_function

    for label, (owner, name) in PHASES.items():
        setattr(owner, name, timed_in(label, getattr(owner, name)))

    def timed_query(execute, *args):
        start = time.perf_counter()
        try:
            return execute(*args)
        finally:
            spent["waiting on PostgreSQL (every query)"] += time.perf_counter() - start

    by_phase = defaultdict(list)
    for number in range(rounds):
        # Emptied before the timing starts: refilling the content generation reads PostgreSQL.
        empty_response_cache()
        spent.clear()
        with connection.execute_wrapper(timed_query):
            spent["the whole request"] = timed(requester, urls[number % len(urls)], cold=False)
        for label, seconds in spent.items():
            by_phase[label].append(seconds)
    print("| part of the request | median ms |")
    print("| --- | ---: |")
    for label in ["the whole request", *PHASES, "waiting on PostgreSQL (every query)"]:
        if label in by_phase:
            print(f"| {label} | {statistics.median(by_phase[label]) * 1000:.2f} |")


def dump(directory: Path) -> None:
    """The exact bytes of many responses, one file each, to compare versions of the code."""
    requester = Requester()
    directory.mkdir(parents=True, exist_ok=True)
    urls = ["/api/v1/", "/api/v1/search/?q=blood+pressure", "/api/v1/manifest/?limit=100"]
    urls += ["/api/v1/sync/?limit=100", "/api/v1/schema/?format=json", "/api/v1/screening/"]
    for collection in collections.COLLECTIONS:
        base = f"/api/v1/{collection.name}/"
        expandable = ",".join(collection.serializer.expandable_fields())
        urls += [f"{base}?limit=100", f"{base}?limit=7&offset=3&fields=title,summary,url"]
        if expandable:
            urls.append(f"{base}?limit=100&expand={expandable}")
        for slug in collection.model.objects.filter(live=True).values_list("slug", flat=True)[:8]:
            urls += [f"{base}{slug}/", f"{base}{slug}/?format=jsonld"]
            if expandable:
                urls.append(f"{base}{slug}/?expand={expandable}")
    urls += ["/api/v1/articles/?limit=3&fields=body", "/api/v1/articles/nope/"]
    urls += ["/api/v1/articles/?limit=100&fields=title&ordering=-last_published_at"]
    urls += ["/api/v1/side-effects/?limit=1000", "/api/v1/side-effects/?expand=bogus"]
    for number, url in enumerate(urls):
        cache.clear()
        status, body = requester.get(url, accept="*/*" if "jsonld" in url else "application/json")
        name = f"{number:03d}-{status}-" + "".join(c if c.isalnum() else "_" for c in url)[:120]
        (directory / name).write_bytes(body)
    print(f"{len(urls)} responses written to {directory}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--profile", metavar="CASE", help="profile one case (label prefix)")
    parser.add_argument("--phases", metavar="CASE", help="time the parts of one case")
    parser.add_argument("--dump", metavar="DIR", type=Path)
    options = parser.parse_args()
    prepare(options.articles)
    if options.dump:
        dump(options.dump)
    elif options.profile:
        profile(options.profile, options.rounds)
    elif options.phases:
        phases(options.phases, options.rounds)
    else:
        measure(options.rounds)


if __name__ == "__main__":
    main()
