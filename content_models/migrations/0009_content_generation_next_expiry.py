from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone

CONTENT_MODELS = [
    "TreatmentForm",
    "SideEffect",
    "EligibilityRule",
    "Condition",
    "Reference",
    "FAQ",
    "MedicalReviewer",
    "ArticlePage",
]


def find_next_expiry(apps, schema_editor):
    """Expiry dates set before the field existed count from the start."""
    now = timezone.now()
    upcoming = [
        apps.get_model("content_models", name)
        .objects.filter(live=True, expire_at__gt=now)
        .aggregate(first=Min("expire_at"))["first"]
        for name in CONTENT_MODELS
    ]
    ContentGeneration = apps.get_model("content_models", "ContentGeneration")
    ContentGeneration.objects.filter(pk=1).update(
        next_expiry=min((when for when in upcoming if when), default=None)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content_models", "0008_content_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentgeneration",
            name="next_expiry",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(find_next_expiry, migrations.RunPython.noop),
    ]
