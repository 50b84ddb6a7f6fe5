"""Wagtail page types: articles, and the index page they live under."""
