"""The editors' flows, driven in a real headless Chromium against the project served by
gunicorn: draft, preview through the public site, send for medical review, approve; translate;
and the API documentation's "Try it out"."""

import datetime
import json
import urllib.error
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Locale

from content_models.models import MedicalReviewer, Reference, TreatmentForm
from tests.factories import (
    MedicalReviewerFactory,
    ReferenceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    apply_to,
    approve_in_review,
    cite,
)

pytestmark = pytest.mark.slow

PASSWORD = "a-long-test-password"


def account(username: str, group_name: str):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def people(site):
    """An editor, and a medical reviewer whose published profile names their account."""
    editor = account("editor", "Editors")
    reviewer = account("reviewer", "Medical reviewers")
    profile = MedicalReviewerFactory(name="Dr Ada Reviewer", slug="dr-ada-reviewer", user=reviewer)
    profile.save_revision().publish()
    ReferenceFactory(title="A trial of intravenous ketamine", slug="iv-trial")
    return {"editor": editor, "reviewer": reviewer}


def api(site, path: str) -> tuple[int, dict]:
    """Status and JSON of a GET to the API, as a front end makes it."""
    try:
        with urllib.request.urlopen(f"{site.url}{path}") as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def log_in(page, site, username: str):
    page.context.clear_cookies()
    page.goto(f"{site.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{site.url}/admin/")


def expect_message(page, text: str):
    expect(page.locator(".messages li").first).to_contain_text(text)


def send_for_review(page):
    page.click("footer .w-dropdown__toggle")
    page.click('footer button[name="action-submit"]')
    expect_message(page, "sent for medical review")


def approve(page, site, edit_path: str):
    log_in(page, site, "reviewer")
    page.goto(f"{site.url}{edit_path}")
    # The footer's main button, not one under "More actions".
    page.click('footer .w-dropdown-button > button[data-workflow-action-name="approve"]')
    expect_message(page, "approved in medical review and published")


def test_a_draft_is_previewed_sent_for_review_and_live_at_once_when_approved(site, people, browser):
    page = browser.new_page()
    log_in(page, site, "editor")

    page.goto(f"{site.url}/admin/snippets/content_models/sideeffect/add/")
    page.fill("#id_name", "Light-headedness")
    page.fill("#id_summary", "Feeling faint for a short while during the session.")
    page.select_option("#id_frequency", "common")
    page.select_option("#id_frequency_basis", "source")
    page.select_option("#id_severity", "mild")
    page.select_option("#id_severity_basis", "source")
    page.select_option("#id_timing", "during")
    page.click("#id_reference_links-0-reference-chooser [data-chooser-action-choose]")
    page.click(".modal-content a:has-text('A trial of intravenous ketamine')")
    expect(page.locator("#id_slug")).to_have_value("light-headedness")
    page.click("footer button.action-save")
    expect_message(page, "'Light-headedness' created")
    edit_path = page.url.removeprefix(site.url)

    # The preview panel shows the public site's preview page, which read the draft from the
    # API with the token the admin's preview made.
    page.click('button[data-side-panel-toggle="preview"]')
    public_site = page.frame_locator("#w-preview-iframe").frame_locator("iframe")
    expect(public_site.locator("#title")).to_have_text("Light-headedness")

    send_for_review(page)
    assert api(site, "/api/v1/side-effects/light-headedness/")[0] == 404
    assert "light-headedness" not in str(api(site, "/api/v1/side-effects/")[1])

    approve(page, site, edit_path)

    status, item = api(site, "/api/v1/side-effects/light-headedness/")
    assert status == 200
    assert item["title"] == "Light-headedness"
    assert item["review_status"] == "reviewed"
    assert item["reviewed_by"] == "dr-ada-reviewer"
    reviewed_at = datetime.datetime.fromisoformat(item["last_reviewed_at"])
    assert timezone.now() - reviewed_at < datetime.timedelta(minutes=5)
    due = datetime.date.fromisoformat(item["next_review_due"])
    assert due == (reviewed_at + datetime.timedelta(days=365)).date()


@pytest.fixture
def reviewed_side_effect(people):
    """A side effect approved in medical review by the reviewer, and an administrator's account.
    (Made before the browser starts: this process's queries do not run in Playwright's loop.)"""
    reference = Reference.objects.get(slug="iv-trial", locale=Locale.get_default())
    nausea = SideEffectFactory(name="Nausea", slug="nausea", live=False)
    cite(nausea, reference)
    approve_in_review(nausea, people["reviewer"])
    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    return nausea


def test_a_publish_outside_the_workflow_cannot_leave_a_false_review(
    site, reviewed_side_effect, browser
):
    nausea = reviewed_side_effect
    _status, reviewed = api(site, "/api/v1/side-effects/nausea/")
    assert (reviewed["review_status"], reviewed["reviewed_by"]) == ("reviewed", "dr-ada-reviewer")
    page = browser.new_page()
    log_in(page, site, "admin")

    # An administrator corrects the text and publishes it at once, outside the review.
    page.goto(f"{site.url}/admin/snippets/content_models/sideeffect/edit/{nausea.pk}/")
    page.fill("#id_summary", "Feeling sick; corrected in a hurry.")
    page.click("footer .w-dropdown__toggle")
    page.click('footer button[name="action-publish"]')
    expect_message(page, "published outside medical review")

    status, item = api(site, "/api/v1/side-effects/nausea/")
    assert status == 200
    assert item["summary"] == "Feeling sick; corrected in a hurry."
    assert item["review_status"] == "not_reviewed"
    assert item["reviewed_by"] is None
    assert item["last_reviewed_at"] is None
    assert item["next_review_due"] is None
    assert item["attribution"]["last_reviewed_at"] is None
    _status, page_jsonld = api(site, "/api/v1/side-effects/nausea/?format=jsonld")
    assert "reviewedBy" not in page_jsonld
    assert "lastReviewed" not in page_jsonld


def test_a_translation_is_served_in_its_language_only(site, people, browser):
    reference = Reference.objects.get(slug="iv-trial", locale=Locale.get_default())
    form = TreatmentFormFactory(name="IV infusion", slug="iv-infusion")
    cite(form, reference)
    nausea = SideEffectFactory(name="Nausea", slug="nausea")
    cite(nausea, reference)
    apply_to(nausea, form)
    page = browser.new_page()
    log_in(page, site, "editor")

    page.goto(f"{site.url}/admin/snippets/content_models/sideeffect/edit/{nausea.pk}/")
    page.click("a.w-header-button:has-text('Translate')")
    page.check("label:has-text('Spanish') input")
    page.click("input[type=submit][value=Submit]")
    expect(page.locator("#id_name")).to_have_value("Nausea")
    page.fill("#id_name", "Náuseas")
    page.fill("#id_summary", "Sensación de malestar en el estómago.")
    # The draft's slug follows its title (once the editor leaves the field), in ASCII: the
    # form would refuse "náuseas".
    expect(page.locator("#id_slug")).to_have_value("nauseas")
    page.click("footer button.action-save")
    expect_message(page, "'Náuseas'")
    edit_path = page.url.removeprefix(site.url)
    send_for_review(page)
    approve(page, site, edit_path)
    # The Spanish treatment form and reference drafted with the translation, approved too.
    spanish = Locale.objects.get(language_code="es")
    for model in (TreatmentForm, Reference):
        for draft in model.objects.filter(locale=spanish, live=False):
            draft.save_revision().publish()

    status, spanish_item = api(
        site,
        "/api/v1/side-effects/nauseas/?locale=es&expand=treatment_forms,references,reviewed_by",
    )
    _status, english_form = api(site, "/api/v1/treatment-forms/iv-infusion/?expand=side_effects")
    _status, spanish_forms = api(site, "/api/v1/treatment-forms/?locale=es")

    assert status == 200
    assert (spanish_item["title"], spanish_item["locale"]) == ("Náuseas", "es")
    related = [
        *spanish_item["treatment_forms"],
        *spanish_item["references"],
        spanish_item["reviewed_by"],
    ]
    assert [item["slug"] for item in related] == ["iv-infusion", "iv-trial", "dr-ada-reviewer"]
    assert {item["locale"] for item in related} == {"es"}
    assert [item["title"] for item in english_form["side_effects"]] == ["Nausea"]
    assert [item["slug"] for item in spanish_forms["results"]] == ["iv-infusion"]
    assert MedicalReviewer.objects.filter(locale=spanish).get().user is None


def test_the_api_documentation_tries_a_request(site, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{site.url}/api/v1/docs/")
    operation = page.locator(
        ".opblock:has(.opblock-summary-path[data-path='/api/v1/side-effects/'])"
    )
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()

    status = operation.locator(".live-responses-table tbody .response-col_status")
    expect(status).to_have_text("200")
    body = operation.locator(".live-responses-table tbody .response-col_description pre").first
    expect(body).to_contain_text('"results"')
    assert errors == []
