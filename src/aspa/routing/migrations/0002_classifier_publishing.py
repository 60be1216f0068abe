"""Classifiers are published, not simply the newest: the newest one trained so far is the one in
use (as before), later ones are published by their cross-validated figures or by an administrator."""

from django.db import migrations, models
from django.db.models import Q


def publish_the_newest(apps, schema_editor):
    ClassifierModel = apps.get_model("routing", "ClassifierModel")
    newest = ClassifierModel.objects.order_by("-created_at", "-id").first()
    if newest is not None:
        ClassifierModel.objects.filter(pk=newest.pk).update(is_active=True, published_at=newest.created_at,
                                                            published_by=newest.trained_by)


class Migration(migrations.Migration):

    dependencies = [
        ("routing", "0001_rule_sets_and_classifiers"),
    ]

    operations = [
        migrations.AddField(
            model_name="classifiermodel",
            name="figures",
            field=models.JSONField(blank=True, default=dict, verbose_name="cross-validated figures"),
        ),
        migrations.AddField(
            model_name="classifiermodel",
            name="is_active",
            field=models.BooleanField(default=False, verbose_name="in use"),
        ),
        migrations.AddField(
            model_name="classifiermodel",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published at"),
        ),
        migrations.AddField(
            model_name="classifiermodel",
            name="published_by",
            field=models.CharField(blank=True, max_length=150, verbose_name="published by"),
        ),
        migrations.RunPython(publish_the_newest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="classifiermodel",
            constraint=models.UniqueConstraint(condition=Q(is_active=True), fields=("is_active",),
                                               name="one_active_classifier"),
        ),
    ]
