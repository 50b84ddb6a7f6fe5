"""Run by tests/test_sqlite_default.py in its own process, on a throwaway SQLite file.

`make run` uses SQLite by default, so search (FTS5 there, PostgreSQL full-text in the rest of
the suite) and the manifest's pages (a union of every collection's on PostgreSQL) must work on
it too. Prints one line per check; exits non-zero on the first failure.
"""

import django
from django.core.management import call_command
from django.test import Client

django.setup()

# Applies nothing on the file tests/test_sqlite_default.py migrated, unless it was made by
# migrations since changed.
call_command("migrate", verbosity=0)
call_command("load_demo_content", verbosity=0)

from django.contrib.auth import get_user_model  # noqa: E402 - needs django.setup()

# The dev settings allow only local host names.
client = Client(HTTP_HOST="localhost")
api_hits = client.get("/api/v1/search/", {"q": "blood pressure"}).json()
assert api_hits["count"] > 0, api_hits
print("api search ok")

collection = client.get("/api/v1/side-effects/", {"search": "nausea"}).json()
assert [item["slug"] for item in collection["results"]][:1] == ["nausea"], collection
print("collection search ok")

manifest = client.get("/api/v1/manifest/", {"limit": 100}).json()
assert 0 < len(manifest["results"]) == manifest["count"] <= 100, manifest
# A page that spans two collections: the rows the whole list has there.
spanning = client.get("/api/v1/manifest/", {"limit": 10, "offset": 5}).json()
assert spanning["results"] == manifest["results"][5:15], spanning
assert len({row["type"] for row in spanning["results"]}) > 1, spanning
print("manifest ok")

editor = get_user_model().objects.create_superuser("smoke", "smoke@example.org", "password")
client.force_login(editor)
for model in ("sideeffect", "eligibilityrule", "treatmentform", "condition", "faq", "reference"):
    response = client.get(f"/admin/snippets/content_models/{model}/", {"q": "ketamine"})
    assert response.status_code == 200, (model, response.status_code)
print("admin search ok")
