"""Clinical content managed as Wagtail snippets: one module per content type."""
