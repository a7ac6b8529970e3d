"""CI runs the tests marked `database` on SQLite and every test on PostgreSQL. So a test
module that touches what differs between the two (counted queries, constraints, locking,
collation, search, raw SQL, migrations) must carry the mark, or SQLite would lose its share."""

import re
from pathlib import Path

from django.conf import settings

SQL_FEATURES = {
    "counts queries": r"django_assert_(?:max_)?num_queries|assertNumQueries|CaptureQueriesContext",
    "checks a constraint": r"IntegrityError",
    "locks or races": r"select_for_update|threading\.|\bThread\(",
    "depends on collation": r"[Cc]ollat(?:e|ion)",
    "writes SQL": (
        r"connection\.vendor|connection\.cursor|\.raw\(|\bRawSQL\b|EXPLAIN (?:ANALYZE|SELECT)"
    ),
    "migrates or flushes": r"call_command\(\s*[\"'](?:migrate|flush)|MigrationExecutor",
    "searches": r"\bsite_search\(|objects\.search\(|reverse\([\"']search[\"']\)",
}
MARKED = re.compile(r"pytest\.mark\.database\b")
ROOT = Path(settings.BASE_DIR)


def sql_features(source: str) -> list[str]:
    return [name for name, pattern in SQL_FEATURES.items() if re.search(pattern, source)]


def module_paths():
    for folder in (
        "accounts",
        "programme",
        "tasks",
        "indicators",
        "notifications",
        "reports",
        "reorganisation",
        "desk",
        "api",
        "feeds",
        "search",
        "operations",
        "tests",
    ):
        yield from sorted((ROOT / folder).rglob("test_*.py"))


def test_every_module_that_touches_sql_features_is_marked_database():
    unmarked = {
        str(path.relative_to(ROOT)): features
        for path in module_paths()
        if path.name != Path(__file__).name
        and (features := sql_features(path.read_text(encoding="utf-8")))
        and not MARKED.search(path.read_text(encoding="utf-8"))
    }
    assert unmarked == {}, "add `pytestmark = pytest.mark.database` to these modules"


def test_it_recognises_each_feature_and_leaves_plain_code_alone():
    examples = {
        "counts queries": "with django_assert_num_queries(5):",
        "checks a constraint": "with pytest.raises(IntegrityError):",
        "locks or races": "Report.objects.select_for_update().get(pk=1)",
        "depends on collation": 'order_by(Collate("name", "vi-x-icu"))',
        "writes SQL": 'if connection.vendor == "postgresql":',
        "migrates or flushes": 'call_command("flush", interactive=False)',
        "searches": 'client.get(reverse("search"), {"q": "khanh hoa"})',
    }
    for feature, line in examples.items():
        assert sql_features(line) == [feature], line
    plain = 'client.get("/assignments/")\nEXPLAIN = {"question": "?"}\nre.search("x", text)'
    assert sql_features(plain) == []
