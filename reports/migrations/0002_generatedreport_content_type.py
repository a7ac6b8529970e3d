"""The generated report's content type follows the model to the reports app: the row is
relabelled, not replaced, so the permissions on it (and the groups holding them), the admin's
log and any object permission keep pointing at it."""

from django.db import migrations


def _relabel(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=old, model="generatedreport").exists():
        return  # a new database: post_migrate makes the content type under the new label
    # One made under the new label already (by a migrate that stopped between the two apps)
    # holds only the default permissions that post_migrate made with it.
    content_types.filter(app_label=new, model="generatedreport").delete()
    content_types.filter(app_label=old, model="generatedreport").update(app_label=new)
    # The process's own cache still holds the row under its old label.
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    CurrentContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="tasks", new="reports")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="reports", new="tasks")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
