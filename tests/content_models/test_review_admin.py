"""The admin speaks the "Medical review" workflow's words, puts "Approve" first for reviewers,
keeps reviewer profiles to administrators, and names the field an editor left blank."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from content_models.models import MedicalReviewer, SideEffect
from tests.content_models.test_admin import snippet_url
from tests.content_models.test_medical_review_workflow import submit_for_review
from tests.factories import MedicalReviewerFactory, SideEffectFactory, cite

pytestmark = pytest.mark.django_db


def user_in(group_name, django_user_model, username):
    user = django_user_model.objects.create_user(username, password="password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def edit_url(item):
    return snippet_url(type(item), "edit", item.pk)


def side_effect(**kwargs):
    """A side effect that cites a reference, as review requires."""
    item = SideEffectFactory(**kwargs)
    cite(item)
    return item


def submit_edit_form(client, item, **action):
    """Post the item's edit form as the page shows it, with the footer button `action`."""
    form = querydict_from_html(client.get(edit_url(item)).content.decode(), form_id="w-editor-form")
    form.update(action)
    return client.post(edit_url(item), form, follow=True)


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
