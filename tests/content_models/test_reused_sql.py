"""SQL compiled once and run many times (`content_models.reused_sql`): each run takes its own
values, and the present of each run, never those of the run that compiled it."""

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from content_models.enums import AnswerType
from content_models.live import TimeOfQuery, live_q
from content_models.models import EligibilityRule, Reference
from content_models.reused_sql import AnyOf, Parameter, ReusedSQL
from tests.factories import EligibilityRuleFactory, ReferenceFactory

pytestmark = pytest.mark.django_db


def live_references() -> QuerySet:
    return Reference.objects.filter(live_q(now=TimeOfQuery())).order_by("slug")


def test_an_item_expiring_between_two_runs_is_not_in_the_second(monkeypatch):
    expiring = ReferenceFactory(expire_at=timezone.now() + datetime.timedelta(hours=1))
    by_slug = ReusedSQL(live_references().filter(slug=Parameter("slug")))
    assert by_slug.items(slug=expiring.slug) == [expiring]

    # Nothing is saved when the expiry date comes; only the clock moves past it.
    after_expiry = expiring.expire_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after_expiry)

    assert by_slug.items(slug=expiring.slug) == []


def test_each_run_takes_its_own_values(django_assert_num_queries):
    first, second = ReferenceFactory(), ReferenceFactory()
    by_slug = ReusedSQL(live_references().filter(slug=Parameter("slug")))
    with django_assert_num_queries(2):
        assert by_slug.items(slug=first.slug) == [first]
        assert by_slug.items(slug=second.slug) == [second]
    assert by_slug.items(slug="no-such-slug") == []


def test_any_number_of_ids_is_one_parameter():
    # In slug order, as `live_references` reads them (factory slugs need not sort as made).
    references = sorted((ReferenceFactory() for _ in range(3)), key=lambda item: item.slug)
    by_id = ReusedSQL(live_references().filter(AnyOf(F("pk"), Parameter("ids"))))
    assert by_id.items(ids=[references[1].pk]) == [references[1]]
    assert by_id.items(ids=[reference.pk for reference in references]) == references


def test_the_pages_of_a_paged_query_set_are_those_its_slices_give():
    for _ in range(5):
        ReferenceFactory()
    pages = ReusedSQL(live_references(), paged=True)
    for page in (slice(0, 2), slice(2, 4), slice(4, 6), slice(1, 5)):
        assert pages.items(page=page) == list(live_references()[page])


def test_a_parameter_given_no_value_is_an_error():
    by_slug = ReusedSQL(live_references().filter(slug=Parameter("slug")))
    with pytest.raises(TypeError, match="slug"):
        by_slug.items()
    # Only a `ReusedSQL` fills a parameter in.
    with pytest.raises(TypeError, match="slug"):
        list(live_references().filter(slug=Parameter("slug")))


def test_a_statement_compiled_in_one_thread_runs_in_another():
    # A threaded server (`make run`'s) answers each request in a thread of its own, and
    # Django's connections are each a thread's own.
    by_slug = ReusedSQL(live_references().filter(slug=Parameter("slug")))
    found = []

    def read_in_its_own_thread():
        try:
            found.append(by_slug.items(slug="no-such-slug"))
        finally:
            connection.close()

    reader = threading.Thread(target=read_in_its_own_thread)
    reader.start()
    reader.join(timeout=30)
    assert found == [[]]


def test_each_run_decodes_the_values_of_its_own_rows():
    # Django decodes some columns as it reads them (a StreamField's JSON, here); a ReusedSQL
    # works out how once and decodes every run's rows with it.
    rules = [
        EligibilityRuleFactory(
            answer_type=AnswerType.CHOICE,
            answer_options=[{"type": "option", "value": {"value": label, "label": label}}],
        )
        for label in ("daily", "weekly")
    ]
    by_slug = ReusedSQL(EligibilityRule.objects.filter(slug=Parameter("slug")))

    def labels(slug) -> list[str]:
        (rule,) = by_slug.items(slug=slug)
        return [option.value["label"] for option in rule.answer_options]

    assert labels(rules[0].slug) == ["daily"]
    assert labels(rules[1].slug) == ["weekly"]
    assert labels(rules[0].slug) == ["daily"]
