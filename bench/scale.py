"""Whether reading grows with the size of the content: in-process, on the database
DATABASE_URL names, with the response cache off (BENCH_API_CACHE=off), so every request is
built. Prints JSON: the median milliseconds of each case.

`python -m bench.scale`: a list page of two collections, the manifest's first page, and a
sync of 10 changes (a caught-up client's next call after 10 publishes).
"""

import json
import statistics
import time

import django

django.setup()

from django.test import Client  # noqa: E402 - needs django.setup()

from api.v1.sync import SyncState  # noqa: E402
from content_models import collections  # noqa: E402
from content_models.models import FAQ  # noqa: E402
from content_models.selectors import latest_change_id  # noqa: E402

RUNS = 30
LISTS = {
    "side-effect list page (20)": "/api/v1/side-effects/?limit=20",
    "FAQ list page (20)": "/api/v1/faqs/?limit=20",
    "manifest page (100)": "/api/v1/manifest/?limit=100",
}
SYNC = "sync of 10 changes"


def median_ms(client: Client, path: str) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return statistics.median(timings)


def sync_after_ten_changes() -> str:
    """A caught-up client's cursor, then 10 publishes: the sync call that brings them."""
    caught_up = SyncState(
        locale="en", partner=None, position=latest_change_id(), held=list(collections.NAMES)
    )
    for faq in FAQ.objects.filter(live=True).order_by("pk")[:10]:
        faq.save_revision().publish()
    return f"/api/v1/sync/?limit=100&cursor={caught_up.to_cursor()}"


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    timings = {label: median_ms(client, path) for label, path in LISTS.items()}
    sync = sync_after_ten_changes()
    # 10 publishes, and the articles that embed those FAQs, which partners are sent again.
    assert len(client.get(sync).json()["records"]) >= 10
    timings[SYNC] = median_ms(client, sync)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
