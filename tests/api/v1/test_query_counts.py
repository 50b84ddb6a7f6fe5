"""A list costs the same number of database queries whatever its length, expanded or not, as
the API contract promises: `live_items` prefetches every relation it shows in full, and puts
the slugs of the others in the items' own rows.

Each measured request empties the response cache first, as a cached response would cost no
query at all and hide what building it costs.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content_models import collections
from content_models.collections import NAMES
from tests.factories import ArticlePageFactory, FAQFactory, create_with_every_relation

from .helpers import FACTORIES

pytestmark = pytest.mark.django_db

# One item measured, then two and five: a query per item (or per related item) would show
# at two, one per few items at five. Each item brings a related item of every kind, each
# with a citation, so more items would only cost more rows to create.
SIZES = (1, 2, 5)


def list_requests(collection: str) -> list[str]:
    """The list without expansion, and with every relation it can expand at once."""
    url = f"/api/v1/{collection}/?limit=100"
    expandable = collections.by_name(collection).serializer.expandable_fields()
    return [url, f"{url}&expand={','.join(expandable)}"] if expandable else [url]


def queries_of(api, url: str) -> int:
    """The queries of a request answered anew, not from the response cache, by a process that
    has answered it before: a process's first request of a kind may fill caches the process
    keeps (content types, the query sets `live_items` builds once) at queries of their own."""
    api.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        api.get(url)
    return len(queries)


@pytest.mark.parametrize("collection", NAMES)
def test_list_queries_do_not_grow_with_its_length_expanded_or_not(
    api, collection, django_assert_num_queries
):
    requests = list_requests(collection)
    create_with_every_relation(FACTORIES[collection])
    one_item = {url: queries_of(api, url) for url in requests}

    created = 1
    for size in SIZES:
        for _ in range(size - created):
            create_with_every_relation(FACTORIES[collection])
        created = size
        for url in requests:
            cache.clear()
            with django_assert_num_queries(one_item[url]):
                response = api.get(url)
            assert response.json()["count"] == size, url


@pytest.mark.parametrize("collection", NAMES)
def test_unexpanded_relations_cost_no_query(api, collection):
    """Shown by their slugs, which the items' own rows carry: a list costs what a list of a
    collection without relations costs (reviewers), and a treatment form's process steps."""
    create_with_every_relation(FACTORIES[collection])
    create_with_every_relation(FACTORIES["reviewers"])
    own_rows_only = queries_of(api, "/api/v1/reviewers/?limit=100")
    process_steps = 1 if collection == "treatment-forms" else 0

    assert queries_of(api, list_requests(collection)[0]) == own_rows_only + process_steps


def faq_linking_to_an_article_of_its_own(number: int):
    article = ArticlePageFactory(slug=f"linked-article-{number}")
    FAQFactory(answer=f'<p>See <a linktype="page" id="{article.pk}">article {number}</a>.</p>')


@pytest.mark.parametrize("path", ["/api/v1/faqs/?limit=100", "/api/v1/sync/?limit=100"])
def test_internal_links_in_rich_text_cost_the_same_queries_however_many_items_carry_them(
    api, path, django_assert_num_queries
):
    faq_linking_to_an_article_of_its_own(0)
    api.get(path)  # fills Django's per-process caches (content types), as any request would
    cache.clear()
    with CaptureQueriesContext(connection) as one_item:
        api.get(path)

    for number in range(1, 10):
        faq_linking_to_an_article_of_its_own(number)
    cache.clear()
    with django_assert_num_queries(len(one_item)):
        body = json.dumps(api.get(path).json(), ensure_ascii=False)
    # Every link resolved to its article's address (quotes escaped, as inside JSON strings).
    assert body.count(r"<a href=\"/api/v1/articles/linked-article-") == 10
    assert "linktype" not in body
