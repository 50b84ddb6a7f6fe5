"""`load_demo_content` run again over the demo content, as `make run` does on every start."""

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Page, Revision

from content_models.models import SideEffect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_content")]


def row_counts() -> dict[str, int]:
    """How many rows each content model, page and revision table holds."""
    models = [*apps.get_app_config("content_models").get_models(), Page, Revision]
    return {model.__name__: model.objects.count() for model in models}


def test_a_second_load_creates_nothing_and_keeps_editors_changes(capsys):
    nausea = SideEffect.objects.get(slug="nausea")
    nausea.summary = "Edited by a clinician."
    nausea.save()
    before = row_counts()

    call_command("load_demo_content")

    *sections, summary = capsys.readouterr().out.splitlines()
    assert sections and all(" 0 created, " in line for line in sections), sections
    assert summary == "Demo content ready: 0 items created."
    assert row_counts() == before
    assert SideEffect.objects.get(slug="nausea").summary == "Edited by a clinician."
