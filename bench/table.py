"""Write the benchmark table of docs/benchmark.md from bench/results.json:
`python bench/table.py` (bench/run.py does it after each run). The table sits between two
marker comments in that page; nothing else of it is touched."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"


def _value(metric: dict) -> str:
    value = metric["value"]
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:,.1f}"
    return f"{value} {metric['unit']}".strip()


def table(results: dict) -> str:
    lines = [
        f"Last run: {results.get('run_at', '?')}, {results['cores']} cores, "
        f"{results['database']}, `make bench` took {results.get('total_minutes', '?')} min "
        f"(data set {results.get('dataset', '?')} in {results.get('dataset_seconds', '?')} s).",
        "",
        "| metric | value | goal | result | why it fails |",
        "|---|---|---|---|---|",
    ]
    for name, metric in results["metrics"].items():
        reason = str(metric.get("reason", "")).replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| `{name}` | {_value(metric)} | {metric['goal']} | "
            f"{'pass' if metric['pass'] else '**fail**'} | {reason} |"
        )
    return "\n".join(lines)


def update_page(results: dict, page: Path = ROOT / "docs" / "benchmark.md") -> None:
    text = page.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    if not rest:
        raise SystemExit(f"{page} has no {START} marker")
    page.write_text(f"{before}{START}\n{table(results)}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results.json"
    update_page(json.loads(path.read_text(encoding="utf-8")))
