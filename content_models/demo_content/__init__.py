"""The demo content: every fact of the seed articles as published items (`demo_content.yaml`),
and the loader that publishes them (`loader.py`, `manage.py load_demo_content`)."""
