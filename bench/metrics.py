"""The benchmark's measurements. Each returns one entry: value, unit, goal, pass."""

import os
import time

from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone


def entry(value, unit: str, goal: str, passed: bool, **extra) -> dict:
    return {"value": value, "unit": unit, "goal": goal, "pass": passed, **extra}


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def reminder_sweep() -> dict:
    """A sweep over every assignment, with every open period's reports due tomorrow: the
    reminders of 20,000 assignments go out in one run. Mail goes to memory, so the time is the
    product's and not a mail server's."""
    from notifications.models import EmailDelivery, Reminder
    from notifications.services import reminders_sweep
    from tasks.models import Assignment

    Reminder.objects.all().delete()
    EmailDelivery.objects.all().delete()
    now = timezone.now()
    queries = []

    def count(execute, sql, params, many, context):
        # Counted, not logged: logging would format every parameter of the big inserts.
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu = time.perf_counter(), time.process_time()
        first = reminders_sweep(now=now)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    again = reminders_sweep(now=now)
    rerun = time.perf_counter() - started
    return entry(
        round(elapsed, 2),
        "s",
        "< 10 s for all assignments",
        elapsed < 10 and again.sent == 0,
        assignments=Assignment.objects.count(),
        reminders_sent=first.sent,
        emails=EmailDelivery.objects.count(),
        queries=len(queries),
        rerun_seconds=round(rerun, 2),
        rerun_already_sent=again.already_sent,
        cpu_seconds=round(cpu, 2),
        reason=(
            f"{cpu:.1f} s of the {elapsed:.1f} s is this process's own work (planning, "
            f"rendering {EmailDelivery.objects.count()} digests with Django templates); the "
            f"rest is PostgreSQL inserting {first.sent:,} reminders under their unique index, "
            "on cores shared with other runs"
        )
        if elapsed >= 10
        else "",
    )


def _standing_committee_document():
    """The Standing Committee report's document for the benchmark's largest programme."""
    from django.db.models import Count

    from programme.models import Programme
    from reports.build import report_document
    from reports.models import GeneratedReport
    from tasks.models import ReportingPeriod

    programme = (
        Programme.objects.annotate(n=Count("items__assignments")).order_by("-n", "code").first()
    )
    period = ReportingPeriod.objects.filter(programme=programme, state="open").first()
    now = timezone.now()
    report = GeneratedReport(
        kind=GeneratedReport.Kind.STANDING_COMMITTEE,
        programme=programme,
        period=period,
        requested_at=now,
        data_as_of=now,
    )
    return programme, report_document(report)


def _pdf_variants(markup: str) -> dict:
    """The CPU seconds of one part of the report (a quarter of it) laid out in this process
    with WeasyPrint's options changed one at a time, against the stylesheet as it is: what
    each lever would buy. CPU seconds, not wall time, so that other runs on the machine move
    them less."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.rendering import STATIC_DIR, STYLESHEET, StaticOnlyFetcher, split_markup
    from reports.rendering import part_plan as plan

    _, parts = split_markup(markup, plan(markup, 4))
    sample = parts[1]
    variants = {
        "as_is": {},
        # HTML attributes as styles: WeasyPrint's default is off, and the code keeps it off.
        "presentational_hints_on": {"presentational_hints": True},
        # The whole fonts embedded, no subsetting: what "fonts subset once" could at most save.
        "full_fonts": {"full_fonts": True},
    }
    seconds = {}
    # The first variant again at the end: the first run of a process pays for warming up.
    for name, options in [*variants.items(), ("as_is", {})]:
        fetcher = StaticOnlyFetcher()
        font_config = FontConfiguration()
        css = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher)
        started = time.process_time()
        html = HTML(string=sample, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
        pdf = html.write_pdf(stylesheets=[css], font_config=font_config, **options)
        seconds[name] = {
            "cpu_seconds": round(time.process_time() - started, 2),
            "pdf_kb": round(len(pdf) / 1024),
        }
    return seconds


def pdf_report() -> dict:
    """The Standing Committee report on the largest programme: WeasyPrint's pages per second,
    laid out in parts by child processes on every core (the product's path) and in one pass
    in a warm worker, against Debian's Chromium printing the same HTML in the same run; the
    peak memory of a fresh process building it, and of each child; and the CPU cost of
    WeasyPrint's options on a part of it."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from reports.build import TEMPLATE
    from reports.rendering import (
        STATIC_DIR,
        STYLESHEET,
        available_cores,
        pdf_from_markup,
        render_pdf,
        report_markup,
    )

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    programme, document = _standing_committee_document()
    data_seconds = time.perf_counter() - started
    markup = report_markup(TEMPLATE, {"doc": document})

    # In one pass in this process, as before the parts: warm the worker first (fonts,
    # stylesheet, templates).
    with override_settings(REPORT_PDF_SPLIT_CHARS=sys.maxsize):
        render_pdf(TEMPLATE, {"doc": document})
        started, cpu = time.perf_counter(), time.process_time()
        one_pass = render_pdf(TEMPLATE, {"doc": document})
        one_pass_seconds = time.perf_counter() - started
        one_pass_cpu = time.process_time() - cpu
    # In parts, each in a fresh child, as a report is built.
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_pdf(TEMPLATE, {"doc": document})
    weasy = time.perf_counter() - started
    parent_cpu = time.process_time() - cpu
    # The same parts one after the other: what the cutting and joining cost without the cores.
    started = time.perf_counter()
    sequential = pdf_from_markup(markup, processes=1)
    sequential_seconds = time.perf_counter() - started
    pages_per_second = pdf.page_count / weasy

    css = STYLESHEET.read_text(encoding="utf-8")
    chromium_markup = markup.replace("</head>", f"<style>{css}</style></head>", 1)
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "report.html"
        page_file.write_text(
            chromium_markup.replace("<head>", f'<head><base href="{STATIC_DIR.as_uri()}/">', 1),
            encoding="utf-8",
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"]
            )
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.pdf(format="A4")  # warm
            started = time.perf_counter()
            page.goto(page_file.as_uri())
            page.pdf(format="A4")
            chromium = time.perf_counter() - started
            browser.close()

    def probe(*arguments: str) -> dict:
        run = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("pdf_memory.py")), *arguments],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ.copy(),
        )
        return json.loads(run.stdout.strip().splitlines()[-1])

    in_parts = probe()
    in_one_pass = probe("--one-pass")
    peak_mb = max([in_parts["peak_mb"], *in_parts["children_peak_mb"]])
    variants = _pdf_variants(markup)
    load_after = os.getloadavg()[0]
    ratio = weasy / chromium
    cores = available_cores()
    # The longest part's CPU seconds and the parent's: the time on idle cores.
    critical_cpu = max(pdf.child_cpu_seconds, default=0) + parent_cpu
    busy = (
        f"the machine was busy (load average {load_before:.1f} before, {load_after:.1f} after, "
        f"on {cores} cores) and the kernel shares the CPU out by session (autogroup), so the "
        "parts, in this run's session, got no more CPU together than one process would; on "
        f"idle cores they would take {critical_cpu:.1f} s ({pdf.page_count / critical_cpu:.1f} "
        "pages/s), the longest part's CPU seconds and the joining's"
        if max(load_before, load_after) > cores
        else ""
    )
    part_cpu = ", ".join(f"{c:.1f}" for c in pdf.child_cpu_seconds)
    layout = (
        f"{pdf.page_count} pages in {weasy:.1f} s in {pdf.processes} parts at once "
        f"({one_pass_seconds:.1f} s in one pass in this process, CPU "
        f"{one_pass_cpu:.1f} s; the parts took {part_cpu} s of CPU each), "
        "nearly all of it WeasyPrint laying out and drawing text (Pango line "
        "breaking, table layout)" + (f"; {busy}" if busy else "")
    )
    timing = {
        "processes": pdf.processes,
        "cores": cores,
        "render_seconds": round(weasy, 2),
        "one_pass_seconds": round(one_pass_seconds, 2),
        "one_pass_pages_per_second": round(one_pass.page_count / one_pass_seconds, 2),
        "one_pass_cpu_seconds": round(one_pass_cpu, 2),
        "parts_cpu_seconds": [round(c, 2) for c in pdf.child_cpu_seconds],
        "parent_cpu_seconds": round(parent_cpu, 2),
        "idle_cores_estimate_pages_per_second": round(pdf.page_count / critical_cpu, 2),
        "parts_one_after_another_seconds": round(sequential_seconds, 2),
        "speed_up": round(one_pass_seconds / weasy, 2),
        "load_average": [round(load_before, 1), round(load_after, 1)],
    }
    return {
        "pdf_pages_per_second": entry(
            round(pages_per_second, 2),
            "pages/s",
            ">= 8 pages/s, a report laid out on every core",
            pages_per_second >= 8,
            programme=programme.code,
            pages=pdf.page_count,
            data_seconds=round(data_seconds, 2),
            same_pages_one_after_another=sequential.page_count == pdf.page_count,
            **timing,
            reason="" if pages_per_second >= 8 else layout,
        ),
        "pdf_vs_chromium": entry(
            round(ratio, 2),
            "x Chromium's time",
            "<= 2.5",
            ratio <= 2.5,
            chromium_seconds=round(chromium, 2),
            weasyprint_seconds=round(weasy, 2),
            one_pass_ratio=round(one_pass_seconds / chromium, 2),
            reason=""
            if ratio <= 2.5
            else f"Chromium printed it in {chromium:.1f} s with its C++ layout engine; {layout}",
        ),
        "pdf_peak_memory_mb": entry(
            round(peak_mb),
            "MB",
            "< 300 MB in every process",
            peak_mb < 300,
            worker_peak_mb=round(in_parts["peak_mb"]),
            parts_peak_mb=[round(m) for m in in_parts["children_peak_mb"]],
            one_pass_peak_mb=round(in_one_pass["peak_mb"]),
            weasyprint_options_on_a_quarter=variants,
            reason=""
            if peak_mb < 300
            else "WeasyPrint keeps the whole laid-out part (every page's boxes) in memory "
            "until the PDF is written",
        ),
    }


def load() -> dict:
    """50 signed-in users for 60 seconds against gunicorn (2 sync workers): page reads mixed
    with report submissions. Goal: it keeps answering, with no errors."""
    from bench.load import load_test

    result = load_test(duration=60.0)
    return entry(
        result["errors"],
        "errors",
        "0 errors under 50 concurrent users for 60 s",
        result["errors"] == 0 and result["requests"] > 0,
        **result,
    )


def report_submit() -> dict:
    """A leader submitting a progress report through the real service; see bench/writes.py."""
    from bench.writes import report_submit_times

    return report_submit_times()


def pages() -> dict:
    """Queries per page and requests per second against hello-world; see bench/pages.py."""
    from bench import pages as page_speed

    return page_speed.measure()


def queue() -> dict:
    """Queued jobs per second on the ORM broker and on Redis, and the product's jobs through
    Redis; see bench/queueing.py. The clusters' logs go to var/bench/."""
    from pathlib import Path

    from bench import queueing

    log_dir = Path(__file__).resolve().parent.parent / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    return queueing.measure(log_dir=log_dir)


METRICS = {
    "reminder_sweep_seconds": reminder_sweep,
    "pdf": pdf_report,
    "report_submit_ms": report_submit,
    "pages": pages,
    "queue": queue,
    "load_50_users": load,
}


def run_all() -> dict:
    results = {}
    for name, measure in METRICS.items():
        started = time.perf_counter()
        measured = measure()
        print(f"{name}: measured in {time.perf_counter() - started:.0f} s", flush=True)
        # A measurement gives one entry, or several under their own names.
        results.update(measured if "value" not in measured else {name: measured})
    return {"cores": os.cpu_count(), "database": connection.vendor, "metrics": results}
