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

# The score a row ranks by (search/engine.py): its tier (3 the whole phrase, 2 all the terms,
# 1 some) times 1000, plus 10 for each term it holds, plus ts_rank normalised below 1. It takes
# the row's vector once: written out in SQL, each test of the vector would build it again.
# PL/pgSQL, so that it is never inlined (which would bring the repeated building back).
CREATE_SCORE = """
CREATE OR REPLACE FUNCTION search_score(
    v tsvector, phrase_q tsquery, every_q tsquery, terms_q tsquery[], any_q tsquery
) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    held integer := 0;
    term tsquery;
BEGIN
    FOREACH term IN ARRAY terms_q LOOP
        IF v @@ term THEN
            held := held + 1;
        END IF;
    END LOOP;
    RETURN (CASE WHEN v @@ phrase_q THEN 3 WHEN v @@ every_q THEN 2 ELSE 1 END) * 1000
        + held * 10
        + ts_rank(v, any_q, 32);
END
$$;
"""
DROP_SCORE = (
    "DROP FUNCTION IF EXISTS search_score(tsvector, tsquery, tsquery, tsquery[], tsquery);"
)


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
        migrations.RunPython(
            on_postgresql(CREATE_SCORE), on_postgresql(DROP_SCORE), elidable=False
        ),
    ]
