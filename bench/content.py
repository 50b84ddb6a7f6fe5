"""The bench's content, on the database DATABASE_URL names (run as
`python -m bench.content base|<total>` with the bench settings).

`base`: migrated, the demo content, 100 more side effects (a full page of 100, each linked
and cited) and 50 articles: what the side-by-side runs on.
`<total>`: a large content set for the scale runs, on a copy of the base: items of every
snippet collection, copied from the demo items (their fields, citations and links), bulk
inserted with their change-log entries, until the collections hold `total` items. A copy's
citations and links point to copies too, spread evenly, as in a real catalogue (a treatment
form with every side effect of the set would measure that form, not the set's size).
Articles, Wagtail pages in a tree, are not bulk inserted: the base's 53 stay.
"""

import sys
import uuid

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402 - needs django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from modelcluster.models import get_all_child_relations  # noqa: E402

# The one recipe of the bench's side effects, which `make bench-since` runs in any revision too.
from bench.any_revision import add_side_effects, vacuum_analyze  # noqa: E402
from content_models import collections  # noqa: E402
from content_models.demo_content.loader import load_demo_content  # noqa: E402
from content_models.enums import ChangeAction  # noqa: E402
from content_models.models import ArticlePage, ContentChange, SideEffect  # noqa: E402

ARTICLES = 50
BATCH = 2000
# The demo article that embeds the most items: the base's articles are copies of it.
RICHEST_ARTICLE = "what-to-expect-iv-ketamine"
# Fields a copy must not share with its source.
NOT_COPIED = {"id", "slug", "translation_key", "latest_revision", "live_revision", "locked_by"}


def prepare_base() -> None:
    call_command("migrate", verbosity=0)
    if not SideEffect.objects.filter(slug="nausea").exists():
        load_demo_content()
    if not SideEffect.objects.filter(slug="bench-0").exists():
        add_side_effects(100)
    add_articles(ARTICLES - ArticlePage.objects.filter(slug__startswith="bench-").count())
    vacuum_analyze()


def add_articles(count: int) -> None:
    """Published copies of the demo's IV article (body, citations, review), as an editor's
    copy in the admin makes them."""
    source = ArticlePage.objects.get(slug=RICHEST_ARTICLE)
    start = ArticlePage.objects.filter(slug__startswith="bench-").count()
    for number in range(start, start + count):
        copy = source.copy(
            update_attrs={"slug": f"bench-{number}", "title": f"{source.title} ({number})"},
            keep_live=False,
        )
        # Copies leave out who reviewed the source and when: the bench's copies keep them.
        copy.reviewed_by = source.reviewed_by
        copy.last_reviewed_at = source.last_reviewed_at
        copy.next_review_due = source.next_review_due
        copy.save_revision().publish()


def item_count() -> int:
    return sum(collection.model.objects.count() for collection in collections.COLLECTIONS)


def generate(total: int) -> None:
    """Bulk insert copies of demo items, shared evenly by the snippet collections, until the
    collections hold `total` items."""
    missing = total - item_count()
    # What others link to first, so that their links can point to copies.
    order = ("reviewers", "references", "treatment-forms")
    snippets = sorted(
        (c for c in collections.COLLECTIONS if c.model is not ArticlePage),
        key=lambda c: order.index(c.name) if c.name in order else len(order),
    )
    if missing <= 0:
        return
    now = timezone.now()
    with transaction.atomic():
        for index, collection in enumerate(snippets):
            share = missing // len(snippets) + (index < missing % len(snippets))
            _copy_items(collection, share, now)
    vacuum_analyze()


def _copy_items(collection, count: int, now) -> None:
    model = collection.model
    source = model.objects.filter(live=True).order_by("pk").first()
    fields = [f for f in model._meta.concrete_fields if f.name not in NOT_COPIED]
    values = {field.attname: getattr(source, field.attname) for field in fields}
    first = model.objects.filter(slug__startswith="gen-").count()
    children = [
        (relation, list(getattr(source, relation.get_accessor_name()).all()))
        for relation in get_all_child_relations(model)
    ]
    content_type = ContentType.objects.get_for_model(model)
    # Each link of a copy points to a copy of the linked item's kind, in turn.
    copies = {
        c.model: list(c.model.objects.filter(slug__startswith="gen-").values_list("pk", flat=True))
        for c in collections.COLLECTIONS
    }
    for start in range(0, count, BATCH):
        numbers = range(first + start, first + min(start + BATCH, count))
        items = model.objects.bulk_create(
            [
                model(
                    **values,
                    slug=f"gen-{collection.type_name}-{number}",
                    translation_key=uuid.uuid4(),
                )
                for number in numbers
            ]
        )
        for relation, rows in children:
            row_model = relation.related_model
            row_fields = [
                f
                for f in row_model._meta.concrete_fields
                if not f.primary_key and f.name != relation.field.name
            ]
            row_model.objects.bulk_create(
                [
                    row_model(
                        **{
                            f.attname: _linked(f, getattr(row, f.attname), copies, item.pk + n)
                            for f in row_fields
                        },
                        **{relation.field.attname: item.pk},
                    )
                    for item in items
                    for n, row in enumerate(rows)
                ]
            )
        ContentChange.objects.bulk_create(
            [
                ContentChange(
                    content_type=content_type,
                    object_id=item.pk,
                    slug=item.slug,
                    language_code=source.locale.language_code,
                    action=ChangeAction.PUBLISHED,
                    occurred_at=now,
                )
                for item in items
            ]
        )


def _linked(field, value, copies: dict, turn: int):
    """A link row's value: for a key to an item of a collection, a copy of that kind (the
    `turn`-th, round the copies) where there are copies; any other value as it is."""
    targets = copies.get(getattr(field, "related_model", None))
    return targets[turn % len(targets)] if targets else value


if __name__ == "__main__":
    if sys.argv[1] == "base":
        prepare_base()
    else:
        generate(int(sys.argv[1]))
    print(item_count())
