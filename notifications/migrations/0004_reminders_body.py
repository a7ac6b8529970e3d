"""The body each reminder was about, for reminders sent before reminders recorded it. Apart from
the schema change: on PostgreSQL a table whose rows were just updated (with their deferred
foreign-key checks pending) cannot be altered in the same transaction."""

from django.db import migrations, models


def reminders_body_fill(apps, schema_editor):
    """Reminders sent before this migration were about their assignment's body, or the
    explanation request's, as it is now."""
    Reminder = apps.get_model("notifications", "Reminder")
    Assignment = apps.get_model("tasks", "Assignment")
    ExplanationRequest = apps.get_model("indicators", "ExplanationRequest")
    Reminder.objects.filter(explanation_request__isnull=False).update(
        body_id=models.Subquery(
            ExplanationRequest.objects.filter(pk=models.OuterRef("explanation_request_id")).values(
                "body_id"
            )[:1]
        )
    )
    Reminder.objects.filter(explanation_request__isnull=True, assignment__isnull=False).update(
        body_id=models.Subquery(
            Assignment.objects.filter(pk=models.OuterRef("assignment_id")).values("body_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_notices_and_superseded_reminders"),
    ]

    operations = [
        migrations.RunPython(reminders_body_fill, migrations.RunPython.noop),
    ]
