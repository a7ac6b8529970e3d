"""The text search configuration that folds Vietnamese tones, on PostgreSQL only.

`vi_unaccent` is a copy of `simple` whose words pass through the `unaccent` dictionary first:
"Công nghiệp" and "cong nghiep" give the same lexemes. The configuration, not a call of
unaccent(), is what queries name: unaccent() is not IMMUTABLE (its result depends on the
dictionary's rules file), so an index over it is refused; to_tsvector with a named
configuration may be indexed. Creating the extension needs a user allowed to (the owner of
the database on PostgreSQL 13 and later: unaccent is a trusted extension); docs/deployment.md
says how an administrator creates it once otherwise. SQLite needs none of this: its fallback is
a function registered on each connection (search/text.py).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CREATE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'vi_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION vi_unaccent (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION vi_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS vi_unaccent;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        # A no-op on SQLite, and when the extension exists already.
        UnaccentExtension(),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]
