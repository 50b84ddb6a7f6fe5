"""Database connections: reused between requests (psycopg's pool), no transaction for a
request that only reads, and statements run again planned once per connection."""

import urllib.request

import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import FAQFactory


@pytest.mark.django_db
def test_an_api_read_opens_no_transaction_where_an_admin_page_does(client, admin_client):
    FAQFactory()
    depths = []

    def record_depth(execute, sql, params, many, context):
        depths.append(len(connection.atomic_blocks))
        return execute(sql, params, many, context)

    around_the_request = len(connection.atomic_blocks)
    with connection.execute_wrapper(record_depth):
        assert client.get("/api/v1/faqs/?expand=references").status_code == 200
    api_depths, depths[:] = set(depths), []
    with connection.execute_wrapper(record_depth):
        assert admin_client.get("/admin/").status_code == 200

    assert api_depths == {around_the_request}
    assert max(depths) > around_the_request  # ATOMIC_REQUESTS, for what may write


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db
def test_an_item_read_again_is_planned_once_by_a_prepared_statement(client):
    FAQFactory(slug="the-faq")
    for _ in range(3):
        cache.clear()
        assert client.get("/api/v1/faqs/the-faq/").status_code == 200

    assert any('"content_models_faq"' in statement for statement in prepared_statements())


def server_connections() -> set[int]:
    """The processes of the server's connections to this test's database (not this one's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.mark.slow
def test_the_server_reuses_its_database_connections_between_requests(live_api):
    FAQFactory(slug="what-is-ketamine")

    def read_a_few():
        for path in ("faqs/", "faqs/what-is-ketamine/", "side-effects/", "search/?q=ketamine"):
            with urllib.request.urlopen(f"{live_api}/api/v1/{path}", timeout=30) as response:
                assert response.status == 200

    read_a_few()
    after_the_first = server_connections()
    read_a_few()
    assert after_the_first  # kept open, idle, for the next request
    assert server_connections() == after_the_first
