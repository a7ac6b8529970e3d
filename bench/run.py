"""`make bench`: build the synthetic province on PostgreSQL and measure the hot paths; the
results go to bench/results.json. See docs/benchmark.md for how to read them."""

import json
import os
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nq23_bench"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def equal_data() -> dict:
    """Our half of the Redmine comparison (bench/equal.py), in its own database and process."""
    import subprocess

    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return {}
    from bench.equal import equal_database_url

    equal_url = equal_database_url(url)
    ensure_database(equal_url)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "equal.py")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": equal_url},
        capture_output=True,
        text=True,
    )
    print(done.stderr[-2000:], flush=True)
    print(f"equal data: measured in {time.perf_counter() - started:.0f} s", flush=True)
    lines = done.stdout.strip().splitlines()
    try:
        measured = json.loads(lines[-1])
    except (IndexError, ValueError):
        measured = {"equal_data": {"value": None, "pass": False, "reason": done.stderr[-300:]}}
    for entry in measured.values():
        entry.setdefault("unit", "x Redmine's requests/s on the same data")
        entry.setdefault("goal", ">= 20")
    return measured


def main() -> int:
    run_started = time.perf_counter()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    # The test settings plus the hello-world page the page speeds are compared with.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from bench import dataset, metrics, table

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    reused = dataset.built()
    dataset.build()
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: the planner needs the tables' statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    dataset_seconds = round(time.perf_counter() - started, 1)
    print(f"dataset ready in {dataset_seconds} s", flush=True)
    results = metrics.run_all()
    results["metrics"].update(equal_data())
    total = time.perf_counter() - run_started
    results.update(
        run_at=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        dataset="reused" if reused else "built",
        dataset_seconds=dataset_seconds,
        total_minutes=round(total / 60, 1),
    )
    # The whole run, the data set's build included when there is none yet, must stay short
    # enough to run often.
    results["metrics"]["bench_minutes"] = metrics.entry(
        round(total / 60, 1),
        "min",
        "< 15 min for `make bench`, building the data set included",
        total < 15 * 60,
        dataset=results["dataset"],
        dataset_seconds=dataset_seconds,
        **({} if total < 15 * 60 else {"reason": f"the run took {total / 60:.1f} min"}),
    )
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    failed = [name for name, m in results["metrics"].items() if not m["pass"]]
    for name, m in results["metrics"].items():
        print(
            f"{'PASS' if m['pass'] else 'FAIL'} {name}: {m['value']} {m['unit']} (goal {m['goal']})"
            + (f": {m['reason']}" if "reason" in m else "")
        )
    table.update_page(results)
    print(f"results: {out}; the table in docs/benchmark.md is updated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
