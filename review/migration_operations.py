"""Operations used by the migrations that brought the shared review fields to a model."""

from django.db import migrations
from django.db.models import Min


def first_submission_backfill(app_label: str, model_name: str) -> migrations.RunPython:
    """Set `first_submitted_at` of every sent row from its history: the earliest submission
    time recorded, or the current one if the history holds none."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        historical = apps.get_model(app_label, f"Historical{model_name}")
        firsts = dict(
            historical.objects.filter(submitted_at__isnull=False)
            .values("id")
            .annotate(first=Min("submitted_at"))
            .values_list("id", "first")
        )
        for row in model.objects.exclude(state="draft").only("pk", "submitted_at").iterator():
            first = min(filter(None, [firsts.get(row.pk), row.submitted_at]))
            model.objects.filter(pk=row.pk).update(first_submitted_at=first)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
