"""The screener: eligibility rules get a position, a required flag and an outcome per answer
(yes/no answers, options with a stable value, number ranges, "not sure", "not answered"), in
the outcomes urgent, not_eligible, clinician_review and possible_candidate; and the screener's
guidance (disclaimer, crisis guidance) becomes content, reviewed like the rest.

Existing rules keep what they meant: the answers that triggered a rule lead to its outcome
(`supports_eligibility` is now `possible_candidate`), the other answers to
`possible_candidate` (the rule does not stand in the way), except for an indication, whose
other answers need a clinician. A number range becomes one range; numbers outside it lead to
the outcome for "not sure" (a clinician decides).
"""

import uuid

import django.db.models.deletion
import modelsearch.index
import wagtail.fields
import wagtail.models.preview
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations, models
from django.utils.text import slugify

import content_models.preview

OLD_TO_NEW = {"supports_eligibility": "possible_candidate"}
GUIDANCE = "screeningguidance"


def outcomes_per_answer(apps, schema_editor):
    EligibilityRule = apps.get_model("content_models", "EligibilityRule")
    for rule in EligibilityRule.objects.all():
        triggered = OLD_TO_NEW.get(rule.outcome, rule.outcome) or "clinician_review"
        otherwise = "clinician_review" if rule.kind == "indication" else "possible_candidate"
        rule.outcome = triggered
        if rule.answer_type == "yes_no":
            rule.outcome_if_yes = triggered if rule.triggering_answer else otherwise
            rule.outcome_if_no = otherwise if rule.triggering_answer else triggered
        elif rule.answer_type == "number":
            rule.number_ranges = [
                {
                    "type": "range",
                    "value": {
                        "minimum": _float(rule.number_trigger_min),
                        "maximum": _float(rule.number_trigger_max),
                        "triggers_rule": True,
                        "outcome": triggered,
                    },
                }
            ]
        else:
            options = []
            for block in rule.answer_options.raw_data:
                value = dict(block["value"])
                value["value"] = slugify(value.get("label", ""))[:50] or "option"
                value["outcome"] = triggered if value.get("triggers_rule") else otherwise
                options.append({**block, "value": value})
            rule.answer_options = options
        rule.save()


def _float(value):
    return None if value is None else float(value)


def guidance_in_medical_review(apps, schema_editor):
    """The guidance is clinical content: editors draft it, medical reviewers approve it."""
    app_config = apps.get_app_config("content_models")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    content_type = ContentType.objects.get(app_label="content_models", model=GUIDANCE)
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{GUIDANCE}",
            defaults={"name": f"Can {action} screener guidance"},
        )

    def permissions(actions):
        return Permission.objects.filter(
            content_type=content_type, codename__in=[f"{a}_{GUIDANCE}" for a in actions]
        )

    reviewers = Group.objects.filter(name="Medical reviewers").first()
    if reviewers:
        reviewers.permissions.add(
            *permissions(["add", "change", "view", "publish", "lock", "unlock"])
        )
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.add(*permissions(["add", "change", "view", "lock"]))
    workflow = Workflow.objects.filter(name="Medical review").first()
    if workflow:
        WorkflowContentType.objects.get_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content_models", "0014_reviewer_account_among_medical_reviewers"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="eligibilityrule",
            options={"ordering": ["position", "title"]},
        ),
        migrations.AddField(
            model_name="eligibilityrule",
            name="number_ranges",
            field=wagtail.fields.StreamField(
                [("range", 4)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.FloatBlock",
                        (),
                        {
                            "help_text": "The lowest number in this range. Empty: no lower limit.",
                            "required": False,
                        },
                    ),
                    1: (
                        "wagtail.blocks.FloatBlock",
                        (),
                        {
                            "help_text": "The highest number in this range. Empty: no upper limit.",
                            "required": False,
                        },
                    ),
                    2: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "help_text": "Tick if this answer is what the rule is about: for a contraindication or precaution, the answer that raises the concern; for an indication, the answer that shows the reason ketamine may help.",
                            "required": False,
                        },
                    ),
                    3: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("urgent", "Urgent: seek help now (the crisis guidance is shown)"),
                                ("not_eligible", "Not eligible: ketamine must not be given"),
                                ("clinician_review", "A clinician needs to decide"),
                                (
                                    "possible_candidate",
                                    "Possible candidate: this answer does not stand in the way (a clinician still decides)",
                                ),
                            ],
                            "help_text": "Where a number in this range leads.",
                        },
                    ),
                    4: (
                        "wagtail.blocks.StructBlock",
                        [[("minimum", 0), ("maximum", 1), ("triggers_rule", 2), ("outcome", 3)]],
                        {},
                    ),
                },
                help_text="For a number answer: ranges of numbers (both ends included) and where each leads. A number in no range leads to the outcome for 'Not sure'.",
            ),
        ),
        migrations.AddField(
            model_name="eligibilityrule",
            name="outcome_if_no",
            field=models.CharField(
                blank=True,
                choices=[
                    ("urgent", "Urgent: seek help now (the crisis guidance is shown)"),
                    ("not_eligible", "Not eligible: ketamine must not be given"),
                    ("clinician_review", "A clinician needs to decide"),
                    (
                        "possible_candidate",
                        "Possible candidate: this answer does not stand in the way (a clinician still decides)",
                    ),
                ],
                max_length=30,
                verbose_name="if the answer is no",
            ),
        ),
        migrations.AddField(
            model_name="eligibilityrule",
            name="outcome_if_yes",
            field=models.CharField(
                blank=True,
                choices=[
                    ("urgent", "Urgent: seek help now (the crisis guidance is shown)"),
                    ("not_eligible", "Not eligible: ketamine must not be given"),
                    ("clinician_review", "A clinician needs to decide"),
                    (
                        "possible_candidate",
                        "Possible candidate: this answer does not stand in the way (a clinician still decides)",
                    ),
                ],
                max_length=30,
                verbose_name="if the answer is yes",
            ),
        ),
        migrations.AddField(
            model_name="eligibilityrule",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Where the question comes in the questionnaire: lower numbers come first.",
            ),
        ),
        migrations.AddField(
            model_name="eligibilityrule",
            name="required",
            field=models.BooleanField(
                default=True,
                help_text="The patient must answer it: left out, it leads to the outcome for 'Not answered' below. Untick only for a question whose answer never rules anything out.",
            ),
        ),
        migrations.AddField(
            model_name="eligibilityrule",
            name="unanswered_outcome",
            field=models.CharField(
                choices=[
                    ("urgent", "Urgent: seek help now (the crisis guidance is shown)"),
                    ("not_eligible", "Not eligible: ketamine must not be given"),
                    ("clinician_review", "A clinician needs to decide"),
                    (
                        "possible_candidate",
                        "Possible candidate: this answer does not stand in the way (a clinician still decides)",
                    ),
                ],
                default="clinician_review",
                help_text="Never 'Possible candidate': a clinician must decide what is not known.",
                max_length=30,
                verbose_name="if a required question is not answered",
            ),
        ),
        migrations.AddField(
            model_name="eligibilityrule",
            name="unsure_outcome",
            field=models.CharField(
                choices=[
                    ("urgent", "Urgent: seek help now (the crisis guidance is shown)"),
                    ("not_eligible", "Not eligible: ketamine must not be given"),
                    ("clinician_review", "A clinician needs to decide"),
                    (
                        "possible_candidate",
                        "Possible candidate: this answer does not stand in the way (a clinician still decides)",
                    ),
                ],
                default="clinician_review",
                help_text="Never 'Possible candidate': a clinician must decide what is not known.",
                max_length=30,
                verbose_name="if the patient is not sure",
            ),
        ),
        migrations.AlterField(
            model_name="eligibilityrule",
            name="answer_options",
            field=wagtail.fields.StreamField(
                [("option", 4)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.RegexBlock",
                        (),
                        {
                            "error_messages": {
                                "invalid": "Use lower-case letters, digits and hyphens only, e.g. 'not-controlled'."
                            },
                            "help_text": "What a web site or app sends for this answer, e.g. 'not-controlled': the same in every language. Do not change it once published.",
                            "max_length": 50,
                            "regex": "^[a-z0-9]+(?:[-_][a-z0-9]+)*$",
                        },
                    ),
                    1: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "As the patient reads it.", "max_length": 200},
                    ),
                    2: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "help_text": "Tick if this answer is what the rule is about: for a contraindication or precaution, the answer that raises the concern; for an indication, the answer that shows the reason ketamine may help.",
                            "required": False,
                        },
                    ),
                    3: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("urgent", "Urgent: seek help now (the crisis guidance is shown)"),
                                ("not_eligible", "Not eligible: ketamine must not be given"),
                                ("clinician_review", "A clinician needs to decide"),
                                (
                                    "possible_candidate",
                                    "Possible candidate: this answer does not stand in the way (a clinician still decides)",
                                ),
                            ],
                            "help_text": "Where picking this answer leads.",
                        },
                    ),
                    4: (
                        "wagtail.blocks.StructBlock",
                        [[("value", 0), ("label", 1), ("triggers_rule", 2), ("outcome", 3)]],
                        {},
                    ),
                },
                help_text="For a choice answer: every option the patient can pick.",
            ),
        ),
        migrations.AlterField(
            model_name="eligibilityrule",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("urgent", "Urgent: seek help now (the crisis guidance is shown)"),
                    ("not_eligible", "Not eligible: ketamine must not be given"),
                    ("clinician_review", "A clinician needs to decide"),
                    (
                        "possible_candidate",
                        "Possible candidate: this answer does not stand in the way (a clinician still decides)",
                    ),
                ],
                editable=False,
                max_length=30,
                verbose_name="outcome when triggered",
            ),
        ),
        migrations.AlterField(
            model_name="eligibilityrule",
            name="rationale",
            field=models.TextField(
                help_text="Why this matters for ketamine treatment, in plain words. The screener shows it as the reason for the outcome."
            ),
        ),
        migrations.AlterField(
            model_name="eligibilityrule",
            name="triggering_answer",
            field=models.BooleanField(
                blank=True,
                choices=[(True, "Yes"), (False, "No")],
                help_text="The answer the rule is about, e.g. 'Yes' to 'Are you pregnant?'.",
                null=True,
                verbose_name="yes/no answer that triggers the rule",
            ),
        ),
        migrations.RunPython(outcomes_per_answer, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="eligibilityrule",
            name="number_trigger_max",
        ),
        migrations.RemoveField(
            model_name="eligibilityrule",
            name="number_trigger_min",
        ),
        migrations.CreateModel(
            name="ScreeningGuidance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                ("live", models.BooleanField(default=True, editable=False, verbose_name="live")),
                (
                    "has_unpublished_changes",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="has unpublished changes"
                    ),
                ),
                (
                    "first_published_at",
                    models.DateTimeField(
                        blank=True, db_index=True, null=True, verbose_name="first published at"
                    ),
                ),
                (
                    "last_published_at",
                    models.DateTimeField(
                        editable=False, null=True, verbose_name="last published at"
                    ),
                ),
                (
                    "go_live_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="go live date/time"),
                ),
                (
                    "expire_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="expiry date/time"),
                ),
                (
                    "expired",
                    models.BooleanField(default=False, editable=False, verbose_name="expired"),
                ),
                (
                    "locked",
                    models.BooleanField(default=False, editable=False, verbose_name="locked"),
                ),
                (
                    "locked_at",
                    models.DateTimeField(editable=False, null=True, verbose_name="locked at"),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The last part of the item's web address, e.g. 'nasal-spray'. Filled in from the title above; change it only before the item is first published, as partners link to it.",
                        max_length=100,
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="For editors only, e.g. 'Screener guidance (English)'.",
                        max_length=200,
                    ),
                ),
                (
                    "disclaimer",
                    models.TextField(
                        help_text="Shown with every questionnaire and result. Say plainly that the screener is not a diagnosis and that a clinician makes the decision."
                    ),
                ),
                (
                    "crisis_heading",
                    models.CharField(
                        help_text="Heading of the crisis guidance, e.g. 'If you are in danger now'.",
                        max_length=200,
                    ),
                ),
                (
                    "crisis_guidance",
                    models.TextField(
                        help_text="Shown when an answer is urgent (e.g. thoughts of suicide): what to do now and which number or line to call where your patients live. Paragraphs are separated by a blank line."
                    ),
                ),
                (
                    "yes_label",
                    models.CharField(default="Yes", help_text="The answer 'Yes'.", max_length=50),
                ),
                (
                    "no_label",
                    models.CharField(default="No", help_text="The answer 'No'.", max_length=50),
                ),
                (
                    "unsure_label",
                    models.CharField(
                        default="I'm not sure",
                        help_text="The answer every question offers for a patient who does not know.",
                        max_length=100,
                    ),
                ),
                (
                    "latest_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                (
                    "live_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
                (
                    "locked_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="locked_%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="locked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "screener guidance",
                "verbose_name_plural": "screener guidance",
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(
                        fields=("slug", "locale"),
                        name="content_models_screeningguidance_unique_slug_per_locale",
                    )
                ],
                "unique_together": {("translation_key", "locale")},
            },
            bases=(
                content_models.preview.HeadlessPreviewMixin,
                wagtail.models.preview.PreviewableMixin,
                modelsearch.index.Indexed,
                models.Model,
            ),
        ),
        migrations.RunPython(guidance_in_medical_review, migrations.RunPython.noop),
    ]
