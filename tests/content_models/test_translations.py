"""A translation is a draft of its own language, whose relations point at items of that
language; editors translate from the item's edit page."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale

from content_models.models import MedicalReviewer, Reference, SideEffect, TreatmentForm
from tests.content_models.test_medical_review_workflow import approve, submit_for_review
from tests.factories import (
    ArticlePageFactory,
    MedicalReviewerFactory,
    ReferenceFactory,
    SideEffectFactory,
    TreatmentFormFactory,
    apply_to,
    cite,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish():
    return Locale.objects.get(language_code="es")


def translate(item, locale):
    """As the admin's "Translate" action does (wagtail.contrib.simple_translation)."""
    translation = item.copy_for_translation(locale)
    translation.save()
    return translation


def side_effect_of(form, reference):
    side_effect = SideEffectFactory(slug="nausea")
    side_effect.reference_links.all().delete()
    cite(side_effect, reference)
    apply_to(side_effect, form)
    return side_effect


def test_a_translation_is_an_unpublished_draft_with_no_publication_dates(spanish):
    published_long_ago = timezone.now() - datetime.timedelta(days=900)
    side_effect = SideEffectFactory(
        first_published_at=published_long_ago, last_published_at=published_long_ago
    )
    side_effect.save_revision().publish()

    translation = SideEffect.objects.get(pk=translate(side_effect, spanish).pk)

    assert translation.locale == spanish
    assert not translation.live
    assert translation.has_unpublished_changes
    assert translation.first_published_at is None
    assert translation.last_published_at is None
    assert translation.live_revision is None


def test_a_translation_carries_no_review_until_its_own_is_approved(spanish):
    side_effect = SideEffectFactory()

    translation = translate(side_effect, spanish)

    assert translation.reviewed_by is None
    assert translation.last_reviewed_at is None
    assert translation.next_review_due is None


def test_a_translated_item_relates_to_translations_made_for_it(spanish):
    form = TreatmentFormFactory(slug="iv-infusion")
    reference = ReferenceFactory(slug="a-trial")
    side_effect = side_effect_of(form, reference)

    translation = translate(side_effect, spanish)

    [spanish_form] = [link.treatment_form for link in translation.treatment_form_links.all()]
    [spanish_reference] = [link.reference for link in translation.reference_links.all()]
    assert (spanish_form.slug, spanish_form.locale) == ("iv-infusion", spanish)
    assert spanish_form.translation_key == form.translation_key
    assert not spanish_form.live
    assert (spanish_reference.slug, spanish_reference.locale) == ("a-trial", spanish)
    assert not spanish_reference.live
    # The English items keep their own relations, in English only.
    assert [link.side_effect for link in form.side_effect_links.all()] == [side_effect]
    assert [link.reference for link in side_effect.reference_links.all()] == [reference]


def test_items_made_for_a_translation_relate_to_their_language_too(spanish):
    form = TreatmentFormFactory(slug="iv-infusion")
    form_reference = cite(form, ReferenceFactory(slug="infusion-guideline"))
    side_effect = side_effect_of(form, ReferenceFactory())

    translate(side_effect, spanish)

    spanish_form = form.get_translation(spanish)
    assert [link.reference for link in spanish_form.reference_links.all()][-1] == (
        form_reference.get_translation(spanish)
    )


def test_a_translation_links_to_the_existing_translation_of_a_related_item(spanish):
    form = TreatmentFormFactory(slug="iv-infusion")
    reference = ReferenceFactory()
    spanish_form = translate(form, spanish)
    spanish_reference = translate(reference, spanish)
    side_effect = side_effect_of(form, reference)

    translation = translate(side_effect, spanish)

    assert [link.treatment_form for link in translation.treatment_form_links.all()] == [
        spanish_form
    ]
    assert [link.reference for link in translation.reference_links.all()] == [spanish_reference]
    assert TreatmentForm.objects.filter(locale=spanish).count() == 1
    assert Reference.objects.filter(locale=spanish).count() == 1


def test_a_translated_article_embeds_and_cites_spanish_items(spanish):
    side_effect = SideEffectFactory()
    article = ArticlePageFactory(
        body=[{"type": "side_effect_list", "value": {"heading": "", "items": [side_effect.pk]}}]
    )
    reference = cite(article)

    translation = CopyPageForTranslationAction(article, spanish, copy_parents=True).execute()

    translation = translation.get_latest_revision_as_object()
    [block] = translation.body
    assert list(block.value["items"]) == [side_effect.get_translation(spanish)]
    assert block.id == article.body[0].id
    assert [link.reference for link in translation.reference_links.all()] == [
        reference.get_translation(spanish)
    ]


def test_a_slug_taken_in_the_language_gets_a_number(spanish):
    SideEffectFactory(slug="nausea", locale=spanish)
    side_effect = SideEffectFactory(slug="nausea")

    assert translate(side_effect, spanish).slug == "nausea-2"


def test_a_reviewer_profile_is_translated_without_the_admin_account(spanish, django_user_model):
    reviewer = MedicalReviewerFactory(user=django_user_model.objects.create_user("dr"))

    translation = translate(reviewer, spanish)

    assert translation.user is None
    assert MedicalReviewer.objects.get(pk=reviewer.pk).user.username == "dr"


def user_in(group_name, django_user_model, username="editor"):
    user = django_user_model.objects.create_user(username, password="password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def translate_url(item):
    return reverse(
        "simple_translation:submit_snippet_translation",
        args=[item._meta.app_label, item._meta.model_name, item.pk],
    )


def test_editors_translate_from_the_admin(client, django_user_model, spanish):
    client.force_login(user_in("Editors", django_user_model))
    form = TreatmentFormFactory(slug="iv-infusion")

    response = client.post(translate_url(form), {"locales": [spanish.pk]})

    translation = form.get_translation(spanish)
    assert response.status_code == 302
    assert response.url == reverse(
        TreatmentForm.snippet_viewset.get_url_name("edit"), args=[translation.pk]
    )
    assert not translation.live


def test_the_edit_page_offers_translate_until_every_language_has_a_translation(
    client, django_user_model, spanish
):
    client.force_login(user_in("Editors", django_user_model))
    form = TreatmentFormFactory()
    edit_url = reverse(TreatmentForm.snippet_viewset.get_url_name("edit"), args=[form.pk])

    page = client.get(edit_url).content.decode()
    assert f'href="{translate_url(form)}"' in page

    translate(form, spanish)
    assert translate_url(form) not in client.get(edit_url).content.decode()


def test_approving_a_translation_credits_the_reviewers_profile_in_its_language(
    spanish, django_user_model
):
    editor = user_in("Editors", django_user_model)
    account = user_in("Medical reviewers", django_user_model, "reviewer")
    profile = MedicalReviewerFactory(user=account)
    profile.save_revision().publish()
    translation = translate(SideEffectFactory(), spanish)

    submit_for_review(translation, editor)
    approve(translation, account)

    approved = SideEffect.objects.get(pk=translation.pk)
    assert approved.live
    assert approved.reviewed_by.locale == spanish
    assert approved.reviewed_by.translation_key == profile.translation_key
    assert approved.reviewed_by.live
    assert approved.last_reviewed_at is not None


def test_approval_credits_the_spanish_profile_an_administrator_wrote(spanish, django_user_model):
    account = user_in("Medical reviewers", django_user_model, "reviewer")
    profile = MedicalReviewerFactory(user=account)
    spanish_profile = translate(profile, spanish)
    spanish_profile.bio = "Psiquiatra con diez años de experiencia."
    spanish_profile.save_revision().publish()
    translation = translate(SideEffectFactory(), spanish)

    submit_for_review(translation, user_in("Editors", django_user_model))
    approve(translation, account)

    assert SideEffect.objects.get(pk=translation.pk).reviewed_by == spanish_profile
    assert MedicalReviewer.objects.filter(locale=spanish).count() == 1
