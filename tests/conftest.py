"""Shared fixtures: few and small. Test data comes from tests/factories."""

import pytest
from django.db import transaction

from content_models.demo_content.loader import load_demo_content


@pytest.fixture
def admin_client(client, django_user_model):
    """A client logged in to the Wagtail admin as a superuser."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content, loaded once per module (it takes seconds) and rolled back after.

    Tests that use it must not commit; they run inside this module-wide transaction.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_content()
        yield
        transaction.set_rollback(True)
