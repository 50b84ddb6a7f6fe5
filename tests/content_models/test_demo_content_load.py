"""`load_demo_content` on an empty database: all or nothing (a second run, over the demo
content, is in test_demo_content_reload.py)."""

import copy
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from content_models.demo_content.loader import (
    DEMO_CONTENT_FILE,
    DemoContentError,
    load_demo_content,
)
from content_models.models import (
    FAQ,
    Condition,
    EligibilityRule,
    MedicalReviewer,
    Reference,
    SideEffect,
    TreatmentForm,
)

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    MedicalReviewer,
    Reference,
    TreatmentForm,
    SideEffect,
    EligibilityRule,
    Condition,
    FAQ,
]
# Article blocks that embed nothing but references, so an article loads without the other sections.
PROSE_BLOCK_TYPES = {"heading", "paragraph", "safety_callout", "citations"}


def content_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in CONTENT_MODELS}
    return {**counts, "pages": Page.objects.count(), "revisions": Revision.objects.count()}


# Parsed once: reading the whole file takes a good part of a second, and tests that break
# an entry each take a copy of their own.
DEMO_DATA = yaml.safe_load(DEMO_CONTENT_FILE.read_text(encoding="utf-8"))


def demo_data() -> dict:
    return copy.deepcopy(DEMO_DATA)


def write_data(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def standalone_entry(section: str, slug: str) -> dict:
    """A demo entry that loads with only the reviewers and references: its treatment forms and
    the article blocks that embed other items are left out."""
    entry = next(entry for entry in demo_data()[section] if entry["slug"] == slug)
    entry.pop("treatment_forms", None)
    if "body" in entry:
        entry["body"] = [block for block in entry["body"] if block["type"] in PROSE_BLOCK_TYPES]
    return entry


def file_of(section: str, *entries: dict) -> dict:
    """A data file of `entries` and what they need: the reviewers and the references they name
    (loading every reference would take most of a test's time)."""
    data = demo_data()
    named = set(strings_in(list(entries)))
    return {
        "reviewers": data["reviewers"],
        "references": [reference for reference in data["references"] if reference["slug"] in named],
        section: list(entries),
    }


def strings_in(value):
    """Every string in `value`, at any depth of its lists and mappings."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for element in value:
            yield from strings_in(element)
    elif isinstance(value, str):
        yield value


def test_command_reports_progress_for_each_section(demo_database):
    # The command's report of the load that made the demo database, from the empty test
    # database: loading the whole file again here would cost as much as that load did.
    *sections, summary = demo_database.load_report.splitlines()

    # Every section of the file, each with something new: the first load creates them all.
    assert len(sections) == len(demo_data())
    for line in sections:
        assert re.fullmatch(r"[\w ]+: [1-9]\d* created, 0 already present\.", line), line
    assert "Treatment forms: 5 created, 0 already present." in sections
    assert summary.startswith("Demo content ready")


def test_broken_entry_stops_the_load_naming_file_and_entry_with_nothing_left(tmp_path):
    # Reviewers, references and two FAQs load before the broken third FAQ.
    faqs = [standalone_entry("faqs", entry["slug"]) for entry in DEMO_DATA["faqs"][:3]]
    data = file_of("faqs", *faqs)
    data["faqs"][2]["references"] = ["no-such-reference"]
    path = write_data(tmp_path, data)
    before = content_counts()

    with pytest.raises(DemoContentError) as raised:
        load_demo_content(path)

    slug = data["faqs"][2]["slug"]
    assert f"broken.yaml: faqs[2] '{slug}'" in str(raised.value)
    assert "no reference with slug 'no-such-reference'" in str(raised.value)
    assert content_counts() == before


def test_invalid_entry_reports_the_validation_message(tmp_path):
    data = file_of("treatment_forms", standalone_entry("treatment_forms", "iv-infusion"))
    data["treatment_forms"][0]["session_minutes_min"] = 90
    path = write_data(tmp_path, data)

    with pytest.raises(DemoContentError) as raised:
        load_demo_content(path)

    assert "treatment_forms[0] 'iv-infusion'" in str(raised.value)
    assert "The shortest session cannot be longer than the longest session." in str(raised.value)
    assert not Reference.objects.exists()


def test_unknown_field_is_named(tmp_path):
    data = file_of(
        "side_effects", standalone_entry("side_effects", DEMO_DATA["side_effects"][0]["slug"])
    )
    data["side_effects"][0]["colour"] = "blue"
    with pytest.raises(DemoContentError, match="unknown field 'colour'"):
        load_demo_content(write_data(tmp_path, data))


def test_file_that_is_not_yaml_fails_with_a_command_error(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("reviewers: [unclosed", encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"Nothing was loaded\. .*broken\.yaml: is not valid YAML"
    ):
        call_command("load_demo_content", file=path)


def test_inline_rows_keep_the_order_of_the_data_file(tmp_path):
    entry = standalone_entry("treatment_forms", "iv-infusion")
    load_demo_content(write_data(tmp_path, file_of("treatment_forms", entry)))
    iv = TreatmentForm.objects.get(slug="iv-infusion")
    assert [step.title for step in iv.process_steps.all()] == [
        step["title"] for step in entry["process_steps"]
    ]
    assert [link.reference.slug for link in iv.reference_links.all()] == entry["references"]


@pytest.mark.parametrize(
    ("section", "slug", "break_entry", "message"),
    [
        pytest.param(
            "articles",
            "how-ketamine-works",
            lambda article: article["body"].insert(0, {"type": "video", "value": "intro.mp4"}),
            "body[0]: unknown block type 'video'",
            id="body block of an unknown type",
        ),
        pytest.param(
            "articles",
            "how-ketamine-works",
            lambda article: article["body"].insert(0, {"type": "paragraph"}),
            "body[0]: a block must have a 'type' and a 'value'.",
            id="body block without a value",
        ),
        pytest.param(
            "articles",
            "how-ketamine-works",
            lambda article: article["body"].insert(
                0, {"type": "heading", "value": {"level": "h2"}}
            ),
            "body[0].text: This field is required.",
            id="heading without text",
        ),
        pytest.param(
            "articles",
            "how-ketamine-works",
            lambda article: article["body"].insert(0, {"type": "citations", "value": []}),
            "body[0]: The minimum number of items is 1",
            id="citations block citing nothing",
        ),
        pytest.param(
            "articles",
            "how-ketamine-works",
            lambda article: article.pop("references"),
            "references: List at least one reference",
            id="article without references",
        ),
        pytest.param(
            "faqs",
            "what-is-ketamine",
            lambda faq: faq.update(body="<p>An answer.</p>"),
            "unknown field 'body'",
            id="snippet with a body",
        ),
        pytest.param(
            "faqs",
            "what-is-ketamine",
            lambda faq: faq.update(reviewed_by="demo-medical-reviewer"),
            "'reviewed_by' cannot be given: a review is recorded only when a medical reviewer "
            "approves the item in the Medical review workflow.",
            id="snippet claiming a reviewer",
        ),
        pytest.param(
            "articles",
            "how-ketamine-works",
            lambda article: article.update(last_reviewed_at="2026-11-01"),
            "'last_reviewed_at' cannot be given",
            id="article claiming a review date",
        ),
        pytest.param(
            "treatment_forms",
            "iv-infusion",
            lambda form: form.update(next_review_due="2027-11-01"),
            "'next_review_due' cannot be given",
            id="treatment form claiming a next review",
        ),
        pytest.param(
            "faqs",
            "what-is-ketamine",
            lambda faq: faq.update(references=[]),
            "references: List at least one reference: every clinical statement must be "
            "traceable to its source.",
            id="snippet without references",
        ),
        pytest.param(
            "treatment_forms",
            "iv-infusion",
            lambda form: form["process_steps"][1].update(phase="sometime"),
            "process_steps[1].phase: Value 'sometime' is not a valid choice.",
            id="process step in an unknown phase",
        ),
        pytest.param(
            "treatment_forms",
            "iv-infusion",
            lambda form: form["process_steps"][1].pop("title"),
            "process_steps[1].title: This field cannot be blank.",
            id="process step without a title",
        ),
        pytest.param(
            "eligibility_rules",
            "uncontrolled-high-blood-pressure",
            lambda rule: rule["answer_options"][0].pop("label"),
            "answer_options[0].label: This field is required.",
            id="answer option without a label",
        ),
    ],
)
def test_every_kind_of_broken_entry_stops_the_load_naming_it_with_nothing_left(
    tmp_path, section, slug, break_entry, message
):
    entry = standalone_entry(section, slug)
    break_entry(entry)
    path = write_data(tmp_path, file_of(section, entry))
    before = content_counts()

    with pytest.raises(DemoContentError) as raised:
        load_demo_content(path)

    assert str(raised.value).startswith(f"broken.yaml: {section}[0] '{slug}': ")
    assert message in str(raised.value)
    assert content_counts() == before
