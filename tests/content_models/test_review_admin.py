"""The admin speaks the "Medical review" workflow's words, puts "Approve" first for reviewers,
keeps reviewer profiles to administrators, and names the field an editor left blank."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from content_models.enums import ReviewStatus
from content_models.models import ArticlePage, MedicalReviewer, SideEffect
from tests.content_models.test_admin import CLINICAL_LISTS, list_url, snippet_url
from tests.content_models.test_medical_review_workflow import submit_for_review
from tests.factories import (
    ArticlePageFactory,
    MedicalReviewerFactory,
    SideEffectFactory,
    approve_in_review,
    cite,
)

pytestmark = pytest.mark.django_db


def user_in(group_name, django_user_model, username):
    user = django_user_model.objects.create_user(username, password="password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def edit_url(item):
    if isinstance(item, ArticlePage):
        return reverse("wagtailadmin_pages:edit", args=[item.pk])
    return snippet_url(type(item), "edit", item.pk)


def article(**kwargs):
    """An article that cites a reference, as review requires."""
    item = ArticlePageFactory(**kwargs)
    cite(item)
    return item


def side_effect(**kwargs):
    """A side effect that cites a reference, as review requires."""
    item = SideEffectFactory(**kwargs)
    cite(item)
    return item


def submit_edit_form(client, item, **action):
    """Post the item's edit form as the page shows it, with the footer button `action`."""
    url = edit_url(item)
    form_id = "page-edit-form" if isinstance(item, ArticlePage) else "w-editor-form"
    form = querydict_from_html(client.get(url).content.decode(), form_id=form_id)
    if isinstance(item, ArticlePage):
        # The body's editor is drawn by JavaScript, so the page's HTML has no inputs for it.
        paragraph = rich_text("<p>What happens during a session.</p>")
        form.update(nested_form_data({"body": streamfield([("paragraph", paragraph)])}))
    form.update(action)
    return client.post(url, form, follow=True)


def messages_of(response) -> list[str]:
    """The text of each message shown, without the buttons Wagtail adds after it."""
    return [
        unescape(str(message)).split("\n")[0] for message in get_messages(response.wsgi_request)
    ]


@pytest.fixture
def editor(client, django_user_model):
    user = user_in("Editors", django_user_model, "editor")
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(django_user_model):
    account = user_in("Medical reviewers", django_user_model, "reviewer")
    MedicalReviewerFactory(user=account)
    return account


def test_sending_a_draft_to_review_says_so(client, editor):
    item = side_effect(name="Nausea", live=False)

    response = submit_edit_form(client, item, **{"action-submit": "1"})

    assert messages_of(response) == ["Side effect 'Nausea' sent for medical review."]
    assert SideEffect.objects.get(pk=item.pk).workflow_in_progress


def test_approving_says_approved(client, editor, reviewer):
    item = side_effect(name="Nausea", live=False)
    submit_for_review(item, editor)
    client.force_login(reviewer)

    response = submit_edit_form(
        client, item, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
    )

    assert messages_of(response) == [
        "Side effect 'Nausea' approved in medical review and published."
    ]
    assert SideEffect.objects.get(pk=item.pk).live


def test_approve_is_the_main_button_for_a_reviewer(client, editor, reviewer):
    item = side_effect(live=False)
    submit_for_review(item, editor)
    client.force_login(reviewer)

    html = client.get(edit_url(item)).content.decode()

    footer = html[html.index('<footer class="footer') :]
    first_button = footer[footer.index("<button") : footer.index("</button>")]
    assert 'data-workflow-action-name="approve"' in first_button
    assert "Approve and Publish" in first_button


def test_the_dashboard_names_the_review_task_in_words(client, editor, reviewer):
    submit_for_review(side_effect(name="Nausea", live=False), editor)
    client.force_login(reviewer)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    cell = html[html.index('<td class="tasks">') :]
    words = re.sub(r"<[^>]+>", " ", cell[: cell.index("</td>")])
    assert "Medical review: In progress" in " ".join(words.split())


def test_the_admin_account_of_a_reviewer_is_a_medical_reviewer(
    admin_client, django_user_model, reviewer
):
    editor = user_in("Editors", django_user_model, "an-editor")

    html = admin_client.get(snippet_url(MedicalReviewer, "add") + "?locale=en").content.decode()

    accounts = html[html.index('name="user"') : html.index("</select>", html.index('name="user"'))]
    assert f'value="{reviewer.pk}"' in accounts
    assert f'value="{editor.pk}"' not in accounts
    with pytest.raises(ValidationError) as refused:
        MedicalReviewerFactory.build(user=editor).full_clean()
    assert "user" in refused.value.message_dict


@pytest.mark.parametrize("group_name", ["Editors", "Medical reviewers"])
def test_only_administrators_change_reviewer_profiles(client, django_user_model, group_name):
    profile = MedicalReviewerFactory()
    client.force_login(user_in(group_name, django_user_model, "someone"))

    assert client.get(edit_url(profile)).status_code in (302, 403)
    assert client.post(edit_url(profile), {"name": "Dr Someone Else"}).status_code in (302, 403)
    assert MedicalReviewer.objects.get(pk=profile.pk).name == profile.name


def test_administrators_change_reviewer_profiles(admin_client):
    assert admin_client.get(edit_url(MedicalReviewerFactory())).status_code == 200


def test_a_blank_title_is_an_error_on_the_title_field(client, editor):
    item = side_effect(name="Nausea")

    response = submit_edit_form(client, item, name="", slug="")

    html = response.content.decode()
    name_errors = html[html.index('id="panel-child-name-errors"') :]
    assert "This field is required." in name_errors[: name_errors.index("</div>")]
    assert SideEffect.objects.get(pk=item.pk).name == "Nausea"


def test_sending_an_article_to_review_says_so(client, editor):
    item = article(title="What to expect", live=False)

    response = submit_edit_form(client, item, **{"action-submit": "1"})

    assert messages_of(response) == ["Article 'What to expect' sent for medical review."]
    assert ArticlePage.objects.get(pk=item.pk).workflow_in_progress


def test_approving_an_article_says_approved(client, editor, reviewer):
    item = article(title="What to expect", live=False)
    submit_for_review(item, editor)
    client.force_login(reviewer)

    response = submit_edit_form(
        client, item, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
    )

    assert messages_of(response) == [
        "Article 'What to expect' approved in medical review and published."
    ]
    assert ArticlePage.objects.get(pk=item.pk).review_status == ReviewStatus.REVIEWED


@pytest.mark.parametrize("make", [side_effect, article], ids=["snippet", "article"])
def test_an_administrators_publish_outside_review_says_it_is_not_reviewed(admin_client, make):
    item = approve_in_review(make(live=False))
    verbose_name = type(item)._meta.verbose_name.capitalize()

    response = submit_edit_form(
        admin_client, item, summary="Corrected at once.", **{"action-publish": "1"}
    )

    assert messages_of(response) == [
        f"{verbose_name} '{item}' published outside medical review: it shows as not reviewed "
        "until a medical reviewer approves it."
    ]
    published = type(item).objects.get(pk=item.pk)
    assert published.summary == "Corrected at once."
    assert published.review_status == ReviewStatus.NOT_REVIEWED
    assert published.reviewed_by is None


def test_editors_cannot_set_the_review_fields(client, editor):
    item = side_effect(live=False)
    recorded = (item.reviewed_by_id, item.next_review_due)
    other = MedicalReviewerFactory()

    html = client.get(edit_url(item)).content.decode()
    response = submit_edit_form(
        client,
        item,
        reviewed_by=str(other.pk),
        last_reviewed_at="2026-01-01 09:00",
        next_review_due="2031-01-01",
    )

    assert response.status_code == 200
    assert 'name="reviewed_by"' not in html
    assert 'name="next_review_due"' not in html
    draft = SideEffect.objects.get(pk=item.pk).get_latest_revision_as_object()
    assert (draft.reviewed_by_id, draft.next_review_due) == recorded


@CLINICAL_LISTS
def test_clinical_lists_show_and_filter_the_review_status(admin_client, factory, name_field):
    factory(
        **{name_field: "Ketamine reviewed"},
        reviewed_by=MedicalReviewerFactory(),
        last_reviewed_at=timezone.now(),
        next_review_due=timezone.localdate() + datetime.timedelta(days=300),
    )
    factory(
        **{name_field: "Ketamine unreviewed"},
        reviewed_by=None,
        last_reviewed_at=None,
        next_review_due=None,
    )
    url = list_url(factory._meta.model)

    everything = admin_client.get(url).content.decode()
    not_reviewed = admin_client.get(url, {"review_status": "not_reviewed"}).content.decode()
    searched = admin_client.get(url, {"q": "ketamine", "review_status": "reviewed"})

    assert "Review status" in everything
    assert "Not reviewed" in everything
    assert "Ketamine unreviewed" in not_reviewed
    assert "Ketamine reviewed" not in not_reviewed
    assert searched.status_code == 200
    assert "Ketamine reviewed" in searched.content.decode()
    assert "Ketamine unreviewed" not in searched.content.decode()


def test_the_reviewer_list_shows_and_filters_demo_reviewers(admin_client):
    MedicalReviewerFactory(name="Dr Placeholder", is_demo=True)
    MedicalReviewerFactory(name="Dr Ada Real")
    url = snippet_url(MedicalReviewer, "list")

    html = admin_client.get(url).content.decode()
    demos = admin_client.get(url, {"is_demo": "true"}).content.decode()

    assert "Demo reviewer" in html
    assert "Dr Placeholder" in demos
    assert "Dr Ada Real" not in demos


def test_the_history_shows_the_medical_review(admin_client):
    item = approve_in_review(side_effect(live=False))

    html = admin_client.get(snippet_url(SideEffect, "history", item.pk)).content.decode()

    assert "Approved in medical review" in html
