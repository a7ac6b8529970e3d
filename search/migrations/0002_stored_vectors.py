"""A stored tsvector and its GIN index on the large searched tables, on PostgreSQL only
(search/vectors.py says why). Adding the column rewrites each table once."""

from django.db import migrations

from search.vectors import COLUMN, STORED_VECTORS, vector_sql


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in STORED_VECTORS.items():
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{COLUMN}" tsvector '
            f"GENERATED ALWAYS AS ({vector_sql(fields)}) STORED"
        )
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search" ON "{table}" USING gin ("{COLUMN}")'
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in STORED_VECTORS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search"')
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "{COLUMN}"')


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_text_search_configuration"),
        ("tasks", "0008_extension_request_carried_from"),
        ("programme", "0003_item_title_en"),
    ]

    operations = [migrations.RunPython(add, remove, elidable=False)]
