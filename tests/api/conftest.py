"""Fixtures for API tests."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def empty_response_cache():
    """Each test starts with an empty response cache.

    Tests roll their database changes back, which takes the content generation back with
    them; a response cached under the same generation by an earlier test would be stale.
    """
    cache.clear()


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()
