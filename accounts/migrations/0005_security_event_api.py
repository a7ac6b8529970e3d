from django.db import migrations, models

KINDS = [
    ("signed_in", "Signed in"),
    ("sign_in_failed", "Sign-in failed"),
    ("locked_out", "Locked out"),
    ("lockout_lifted", "Lockout lifted"),
    ("signed_out", "Signed out"),
    ("session_expired", "Signed out after inactivity"),
    ("refused", "Access refused"),
    ("download", "File downloaded"),
    ("export", "Export"),
    ("api_token", "API token made or revoked"),
    ("api_write", "Write through the API"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_security_event_lockout_lifted"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="securityevent",
            name="security_event_kind_valid",
        ),
        migrations.AlterField(
            model_name="securityevent",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=20, verbose_name="event"),
        ),
        migrations.AddConstraint(
            model_name="securityevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", [kind for kind, _ in KINDS])),
                name="security_event_kind_valid",
            ),
        ),
    ]
