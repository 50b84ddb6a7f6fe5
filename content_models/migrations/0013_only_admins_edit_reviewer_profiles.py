"""Only administrators create and change medical reviewer profiles: a profile is the public
credit for every approval, so neither editors nor reviewers themselves may rewrite it. Both
groups keep seeing the profiles."""

from django.db import migrations

WRITE_ACTIONS = ["add", "change", "delete", "publish", "lock", "unlock"]
GROUPS = ["Editors", "Medical reviewers"]


def profile_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="content_models",
        codename__in=[f"{action}_medicalreviewer" for action in WRITE_ACTIONS],
    )


def only_admins_edit_profiles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(profile_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


def let_groups_edit_profiles_again(apps, schema_editor):
    # As migration 0002 set them up: editors add and change, reviewers also publish.
    Group = apps.get_model("auth", "Group")
    permissions = profile_permissions(apps)
    editors_may = ["add_medicalreviewer", "change_medicalreviewer", "lock_medicalreviewer"]
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions.filter(codename__in=editors_may))
    for group in Group.objects.filter(name="Medical reviewers"):
        group.permissions.add(*permissions.exclude(codename="delete_medicalreviewer"))


class Migration(migrations.Migration):
    dependencies = [("content_models", "0012_editors_translate")]

    operations = [
        migrations.RunPython(only_admins_edit_profiles, let_groups_edit_profiles_again)
    ]
