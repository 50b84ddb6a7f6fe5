"""Editors translate content: Wagtail's "Editors" group gets the permission behind the
admin's "Translate" action (wagtail.contrib.simple_translation)."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations


def let_editors_translate(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs it now.
    app_config = apps.get_app_config("simple_translation")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)

    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    submit_translation = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(submit_translation)


def stop_editors_translating(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="simple_translation", codename="submit_translation"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content_models", "0011_article_rich_text_through_the_api_batch"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(let_editors_translate, stop_editors_translating)]
