"""Indexes of live items: one that counting the live items of a language reads (every
list's `count`, the manifest's), and one per listed type in its list's default order, so that
a list's first page reads 20 index entries rather than sorting every live item
(`snippets/base.live_item_indexes`)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('content_models', '0017_classification_basis_and_regulatory_status'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='condition',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='condition_live_locale'),
        ),
        migrations.AddIndex(
            model_name='condition',
            index=models.Index(condition=models.Q(('live', True)), fields=['name', 'id'], name='condition_list_order'),
        ),
        migrations.AddIndex(
            model_name='eligibilityrule',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='eligibilityrule_live_locale'),
        ),
        migrations.AddIndex(
            model_name='eligibilityrule',
            index=models.Index(condition=models.Q(('live', True)), fields=['position', 'title', 'id'], name='eligibilityrule_list_order'),
        ),
        migrations.AddIndex(
            model_name='faq',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='faq_live_locale'),
        ),
        migrations.AddIndex(
            model_name='faq',
            index=models.Index(condition=models.Q(('live', True)), fields=['question', 'id'], name='faq_list_order'),
        ),
        migrations.AddIndex(
            model_name='medicalreviewer',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='medicalreviewer_live_locale'),
        ),
        migrations.AddIndex(
            model_name='medicalreviewer',
            index=models.Index(condition=models.Q(('live', True)), fields=['name', 'id'], name='medicalreviewer_list_order'),
        ),
        migrations.AddIndex(
            model_name='reference',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='reference_live_locale'),
        ),
        migrations.AddIndex(
            model_name='reference',
            index=models.Index(condition=models.Q(('live', True)), fields=['title', 'id'], name='reference_list_order'),
        ),
        migrations.AddIndex(
            model_name='screeningguidance',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='screeningguidance_live_locale'),
        ),
        migrations.AddIndex(
            model_name='sideeffect',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='sideeffect_live_locale'),
        ),
        migrations.AddIndex(
            model_name='sideeffect',
            index=models.Index(condition=models.Q(('live', True)), fields=['name', 'id'], name='sideeffect_list_order'),
        ),
        migrations.AddIndex(
            model_name='treatmentform',
            index=models.Index(condition=models.Q(('live', True)), fields=['locale', 'expire_at'], name='treatmentform_live_locale'),
        ),
        migrations.AddIndex(
            model_name='treatmentform',
            index=models.Index(condition=models.Q(('live', True)), fields=['name', 'id'], name='treatmentform_list_order'),
        ),
    ]
