"""Clinical content is published only after a clinician approves it.

Creates the "Medical reviewers" group, a "Medical review" workflow with one approval task for
that group, assigns it to every clinical snippet type and to the page tree, and adds the
Spanish locale so translations can start without a schema change.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# Model name -> verbose name, as Wagtail names the permissions it adds to snippets.
REVIEWED_MODELS = {
    "treatmentform": "treatment form",
    "sideeffect": "side effect",
    "eligibilityrule": "eligibility rule",
    "condition": "condition",
    "faq": "FAQ",
    "reference": "reference",
    "medicalreviewer": "medical reviewer",
}
# Wagtail creates these for snippets after migrations; the groups below need them now.
SNIPPET_ACTIONS = ["publish", "lock", "unlock"]
REVIEWER_ACTIONS = ["add", "change", "view", "publish", "lock", "unlock"]
EDITOR_ACTIONS = ["add", "change", "view", "lock"]


def create_medical_review_workflow(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    app_config = apps.get_app_config("content_models")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    Locale.objects.get_or_create(language_code="es")

    for model, verbose_name in REVIEWED_MODELS.items():
        content_type = ContentType.objects.get(app_label="content_models", model=model)
        for action in SNIPPET_ACTIONS:
            Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )

    def model_permissions(actions):
        codenames = [f"{action}_{model}" for model in REVIEWED_MODELS for action in actions]
        return Permission.objects.filter(
            content_type__app_label="content_models", codename__in=codenames
        )

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    reviewers, _ = Group.objects.get_or_create(name="Medical reviewers")
    reviewers.permissions.add(access_admin, *model_permissions(REVIEWER_ACTIONS))
    # Wagtail's default "Editors" group drafts content and submits it; only reviewers publish.
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.add(*model_permissions(EDITOR_ACTIONS))

    root = Page.objects.get(depth=1)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=reviewers,
            page=root,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )

    task = GroupApprovalTask.objects.create(
        name="Medical review",
        content_type=ContentType.objects.get_for_model(GroupApprovalTask),
    )
    task.groups.add(reviewers)
    workflow = Workflow.objects.create(name="Medical review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for model in REVIEWED_MODELS:
        WorkflowContentType.objects.create(
            workflow=workflow,
            content_type=ContentType.objects.get(app_label="content_models", model=model),
        )
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("content_models", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(create_medical_review_workflow, migrations.RunPython.noop),
    ]
