"""The searched text of the large tables, kept as a tsvector beside each row, on PostgreSQL.

Building a row's vector at query time was most of a search's cost: at 203,516 progress reports
a Party Office search took 4.7–6.7 s. Each table here gets a stored generated column,
`search_vector`, built from the same expression the engine would build (search/engine.py), and
a GIN index on it, so a search reads the matching rows from the index and ranks them from their
stored vectors. PostgreSQL keeps the column current on every insert and update; Django's models
do not know it, so the ORM never writes it. SQLite has no such column (its fallback folds text
per query, search/text.py).
"""

# Table -> the text fields searched, in the order the selectors pass them.
STORED_VECTORS = {
    "tasks_progressreport": ("result", "difficulties", "proposals"),
    "tasks_finding": ("text", "recommendation"),
    "programme_item": ("text",),
}
COLUMN = "search_vector"
# The characters read as spaces (file paths, hyphenated words and tags: see engine.py).
APART = "/-._<>"


def vector_sql(fields: tuple[str, ...]) -> str:
    """The SQL of the vector, as SearchVector(translate(field), ...) compiles it."""
    blank = " " * len(APART)
    parts = [f"""COALESCE(translate("{field}", '{APART}', '{blank}'), '')""" for field in fields]
    joined = " || ' ' || ".join(parts)
    return f"to_tsvector('vi_unaccent'::regconfig, {joined})"
