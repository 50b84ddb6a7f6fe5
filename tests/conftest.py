"""Shared fixtures: few and small. Test data comes from tests/factories."""

import pytest


@pytest.fixture
def admin_client(client, django_user_model):
    """A client logged in to the Wagtail admin as a superuser."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(user)
    return client
