"""The data version's counter: a sequence on PostgreSQL (moving it takes no lock, so two
writing transactions never wait on it or deadlock over it), a one-row table elsewhere (SQLite
lets one writer in at a time anyway)."""

from django.db import migrations


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("CREATE SEQUENCE IF NOT EXISTS data_version")
        else:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS data_version "
                "(id integer PRIMARY KEY CHECK (id = 1), value integer NOT NULL)"
            )
            cursor.execute("INSERT OR IGNORE INTO data_version (id, value) VALUES (1, 0)")


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP SEQUENCE IF EXISTS data_version")
        else:
            cursor.execute("DROP TABLE IF EXISTS data_version")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create, drop, elidable=False)]
