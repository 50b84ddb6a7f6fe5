"""Fixtures for API tests."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def site_settings(settings):
    """`settings`, for tests that change what responses show (site address, publisher).

    The response cache is keyed by the content, not by settings, which do not change while
    a server runs; a test that changes them first empties the cache.
    """
    cache.clear()
    return settings
