"""Our half of the comparison with Redmine on equal data (`make bench`, after the province).

The equal data set is the one the Redmine peer benchmark loads through Redmine's API
(`equal-dataset.json.gz`, a copy of ../shared/peers/redmine/equal-dataset.json): 20 bodies
(one Redmine project each), 40 tasks each with a due date, a start date and a status, and 5
notes on each. Here each task is an assignment of the body to one task of an "equal data"
programme, with its deadline, completed (Redmine's resolved or closed) or cancelled (rejected)
as its status says, and each note an accepted progress report in one of five closed periods.

It runs in its own database (`<benchmark database>_equal`, built once and reused), so the
province's data does not weigh on it, and measures the pages that match Redmine's:
- the assignment list, 50 rows, as a Party Office reviewer (Redmine: `/issues?per_page=50`
  as admin, who sees every project);
- one assignment's page with its five reports, as the body's officer (Redmine: `/issues/2`);
- the list of one body's assignments (Redmine: `/projects/so-cong-thuong/issues`).
Each under gunicorn (2 sync workers, gunicorn.conf.py) and `wrk -t1 -c16 -d10s`, signed in,
as bench/pages.py measures the province's pages.

Redmine's half runs when Debian's `redmine` package is installed (`dpkg -s redmine`), through
the peer scripts in ../shared/peers/redmine/ (setup.sh, load.py, bench.sh); otherwise it is
skipped with a message and the ratios to Redmine are taken from the figures its README
recorded on this machine kind (2026-11-28, PostgreSQL), which the results say.
"""

import contextlib
import gzip
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = Path(__file__).resolve().parent / "equal-dataset.json.gz"
PEER_DIR = ROOT.parent.parent / "shared" / "peers" / "redmine"
PROGRAMME_CODE = "equal-data"
REASON = "benchmark equal data"
# Redmine's statuses by position: new, in progress, resolved, feedback, closed, rejected.
COMPLETED_STATUSES = {2, 4}
CANCELLED_STATUSES = {5}
# What Redmine's README recorded on this machine kind (PostgreSQL, 2 puma workers x 1 thread,
# wrk -t1 -c16 -d10s, Connection: close), used when Redmine is not installed here.
REDMINE_RECORDED = {
    "assignment_list": 13.3,  # (a) /issues?per_page=50
    "assignment_detail": 13.0,  # (b) /issues/2
    "body_assignment_list": 14.4,  # (c) /projects/so-cong-thuong/issues?per_page=50
}
# The goal of issue 21: at least 20 times Redmine's requests per second.
REDMINE_GOAL = 20.0


def equal_database_url(url: str) -> str:
    base, name = url.rsplit("/", 1)
    return f"{base}/{name}_equal"


def built() -> bool:
    from programme.models import Programme

    return Programme.objects.filter(code=PROGRAMME_CODE).exists()


def build(log=print) -> None:
    """Load the equal data set once, with history, as bench/dataset.py loads the province."""
    from django.db import transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from accounts.models import Body
    from bench.dataset import _create_with_history
    from programme.models import Item, Programme
    from programme.services import reference_data_load, reference_sources
    from tasks.models import Assignment, DeadlineKind, ProgressReport, ReportingPeriod, ReportState

    if built():
        log("equal data: already built")
        return
    data = json.loads(gzip.decompress(DATASET.read_bytes()))["projects"]
    with transaction.atomic():
        reference_data_load(sources=reference_sources(), reason=REASON)
        seed = Programme.objects.get(code="nq23")
        programme = Programme.objects.create(
            code=PROGRAMME_CODE,
            document_type=seed.document_type,
            title="Dữ liệu so sánh với Redmine",
            issuer_name=seed.issuer_name,
            resolution_number=seed.resolution_number,
            resolution_date=seed.resolution_date,
            resolution_issuer=seed.resolution_issuer,
        )
        part = Item.objects.create(
            programme=programme,
            key="I",
            sequence=1,
            kind=Item.Kind.PART,
            section=Item.Section.TASKS,
            marker="I-",
            number="I",
            position=1,
            text="Nhiệm vụ, giải pháp",
        )
        group = Item.objects.create(
            programme=programme,
            parent=part,
            key="I.1",
            sequence=2,
            kind=Item.Kind.GROUP,
            section=Item.Section.TASKS,
            marker="1.",
            number="1",
            position=1,
            text="Nhiệm vụ của các cơ quan",
        )
        bulk_create_with_history(
            [
                Body(
                    code=f"equal-{project['identifier']}",
                    name=project["name"],
                    kind=Body.Kind.DEPARTMENT,
                    position=2000 + n,
                )
                for n, project in enumerate(data)
            ],
            Body,
            default_change_reason=REASON,
        )
        bodies = {b.code: b for b in Body.objects.filter(code__startswith="equal-")}
        items, assignments, notes = [], [], []
        sequence = 2
        for project in data:
            body = bodies[f"equal-{project['identifier']}"]
            for issue in project["issues"]:
                sequence += 1
                item = Item(
                    programme=programme,
                    parent=group,
                    key=f"I.1.b{sequence - 2}",
                    sequence=sequence,
                    kind=Item.Kind.BULLET,
                    section=Item.Section.TASKS,
                    marker="-",
                    position=sequence - 2,
                    text=issue["text"],
                )
                due = date.fromisoformat(issue["due_date"])
                status = issue["status_pos"]
                items.append(item)
                assignments.append(
                    Assignment(
                        item=item,
                        body=body,
                        role=Assignment.Role.IMPLEMENT_LOCALLY,
                        deadline_kind=DeadlineKind.FIXED,
                        deadline=due,
                        starts_on=date.fromisoformat(issue["start_date"]),
                        completed_on=due - timedelta(days=10)
                        if status in COMPLETED_STATUSES
                        else None,
                        cancelled_on=date(2026, 1, 1) if status in CANCELLED_STATUSES else None,
                    )
                )
                notes.append(issue["notes"])
        for item in items:
            item._change_reason = REASON
            item.save()  # fills the search text, as the importer does
        bulk_create_with_history(assignments, Assignment, default_change_reason=REASON)
        today = timezone.localdate()
        periods = []
        for n in range(5):
            year = today.year - 3 + n // 2
            starts = date(year, 1, 1) if n % 2 == 0 else date(year, 7, 1)
            ends = date(year, 6, 30) if n % 2 == 0 else date(year, 12, 31)
            periods.append(
                ReportingPeriod(
                    programme=programme,
                    code=f"equal-{n}",
                    name=f"Kỳ so sánh {n + 1}",
                    kind=ReportingPeriod.Kind.SEMIANNUAL,
                    starts_on=starts,
                    ends_on=ends,
                    due_on=ends,
                    state=ReportingPeriod.State.CLOSED,
                )
            )
        bulk_create_with_history(periods, ReportingPeriod, default_change_reason=REASON)
        people = _people()
        reports = []
        for assignment, texts in zip(
            Assignment.objects.filter(item__programme=programme).order_by("item__sequence"),
            notes,
            strict=True,
        ):
            for period, text in zip(periods, texts, strict=False):
                moment = timezone.make_aware(datetime.combine(period.due_on, time(9)))
                reports.append(
                    ProgressReport(
                        assignment=assignment,
                        period=period,
                        state=ReportState.ACCEPTED,
                        result=text,
                        percent_complete=50,
                        drafted_by=people["officer"],
                        submitted_by=people["officer"],
                        submitted_at=moment,
                        reviewed_by=people["reviewer"],
                        reviewed_at=moment + timedelta(days=3),
                    )
                )
        _create_with_history(reports, ProgressReport)
    log(f"equal data: {len(assignments)} assignments, {len(reports)} reports")


def _people() -> dict:
    """The first body's officer and a Party Office reviewer, through the services, with the
    assignment grants the services make."""
    from accounts.models import Body, Role, User
    from accounts.services import membership_grant, role_groups_sync
    from tasks.services.grants import assignment_grants_sync

    role_groups_sync()
    assignment_grants_sync()
    people = {}
    for key, code, role in (
        ("officer", "equal-so-cong-thuong", Role.OFFICER),
        ("reviewer", "van-phong-tinh-uy", Role.REVIEWER),
    ):
        user = User.objects.filter(username=f"equal-{key}").first()
        if user is None:
            user = User.objects.create_user(f"equal-{key}", password="!", full_name=key)
        membership_grant(
            user=user,
            body=Body.objects.get(code=code),
            role=Role.objects.get(code=role),
            acting_user=None,
            reason=REASON,
        )
        people[key] = user
    return people


def measure(log=print) -> dict[str, dict]:
    """Requests per second of our three pages on the equal data, and the ratio to Redmine's."""
    from django.test import Client

    from accounts.models import Body
    from bench import pages
    from tasks.models import Assignment

    people = _people()
    body = Body.objects.get(code="equal-so-cong-thuong")
    first = (
        Assignment.objects.filter(
            body=body, item__programme__code=PROGRAMME_CODE, cancelled_on__isnull=True
        )
        .order_by("item__sequence")
        .first()
    )
    measured = [
        pages.Page("assignment_list", "/assignments/", "reviewer", None, rows=50),
        pages.Page("assignment_detail", f"/assignments/{first.pk}/", "officer", None),
        pages.Page("body_assignment_list", f"/assignments/?body={body.pk}", "reviewer", None),
    ]
    if not pages.wrk_installed():
        return {
            "equal_data": {
                "value": None,
                "pass": False,
                "reason": "wrk is not installed (apt-get install wrk)",
            }
        }
    cookies = {}
    for key, user in people.items():
        client = Client()
        client.force_login(user)
        cookies[key] = f"sessionid={client.cookies['sessionid'].value}"
    redmine, redmine_source = redmine_rps(log)
    out = {}
    for page in measured:
        port = pages._free_port()
        server = pages._gunicorn(port)
        try:
            cookie = cookies[page.user]
            # Each worker's first request imports the views: four requests at once, each
            # waited for, reach both workers before anything is timed.
            with ThreadPoolExecutor(4) as pool:
                warm = [
                    pool.submit(pages._get, port, "/bench/hello/", cookie, 120) for _ in range(4)
                ]
                [future.result() for future in warm]
            status, single = pages._get(port, page.path, cookie, timeout=120)
            if status != 200:
                out[f"equal_{page.name}_vs_redmine"] = {
                    "value": None,
                    "pass": False,
                    "reason": f"a single request answered {status}",
                }
                continue
            pages._wrk(port, page.path, cookie, 2, 4)  # both workers warm
            run = pages.parse_wrk(pages._wrk(port, page.path, cookie, pages.SECONDS, 16))
        finally:
            pages._stop(server)
        theirs = redmine.get(page.name)
        ratio = round(run.get("rps", 0) / theirs, 1) if theirs else None
        met = ratio is not None and ratio >= REDMINE_GOAL and not run.get("errors")
        out[f"equal_{page.name}_vs_redmine"] = {
            "value": ratio,
            "unit": "x Redmine's requests/s on the same data",
            "goal": f">= {REDMINE_GOAL:g}",
            "pass": met,
            "rps": run.get("rps"),
            "redmine_rps": theirs,
            "redmine_source": redmine_source,
            "single_request_s": round(single, 3),
            **{k: v for k, v in run.items() if k != "rps"},
            **(
                {}
                if met
                else {
                    "reason": f"{run.get('rps')} requests/s against Redmine's {theirs} "
                    f"({redmine_source}); one request alone takes {round(single, 3)} s"
                }
            ),
        }
        log(f"equal data: {page.name} {out[f'equal_{page.name}_vs_redmine']}")
    return out


def redmine_rps(log=print) -> tuple[dict[str, float], str]:
    """Redmine's requests per second on the equal data: measured here when Debian's redmine
    is installed (the peer scripts, run as root from a writable copy), else as recorded."""
    installed = (
        shutil.which("dpkg")
        and subprocess.run(["dpkg", "-s", "redmine"], capture_output=True).returncode == 0
    )
    if not installed or not PEER_DIR.is_dir():
        log(
            "equal data: Redmine is not installed (Debian's redmine package): its half is "
            "skipped, and the ratios use the figures its README recorded on this machine kind"
        )
        return REDMINE_RECORDED, "recorded 2026-11-28 (../shared/peers/redmine/README.md)"
    work = Path("/tmp/redmine-peer/scripts")
    shutil.copytree(PEER_DIR, work, dirs_exist_ok=True)
    env = {**os.environ, "TAG": "nq23-bench"}
    for script in (["./setup.sh", "pgsql"], ["./load.py"], ["./bench.sh"]):
        done = subprocess.run(script, cwd=work, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            log(f"equal data: Redmine's {script[0]} failed: {done.stderr[-500:]}")
            return REDMINE_RECORDED, f"recorded (Redmine's {script[0]} failed here)"
    measured = _parse_redmine_table(done.stdout)
    if len(measured) < len(REDMINE_RECORDED):
        return REDMINE_RECORDED, "recorded (Redmine's table could not be read)"
    return measured, "measured in this run"


def _parse_redmine_table(output: str) -> dict[str, float]:
    """The req/s column of bench.sh's table: rows (a), (b), (c)."""
    names = {"(a)": "assignment_list", "(b)": "assignment_detail", "(c)": "body_assignment_list"}
    found = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for mark, name in names.items():
            if cells and cells[0].startswith(mark) and len(cells) > 1:
                with contextlib.suppress(ValueError):
                    found[name] = float(cells[1].replace(",", ""))
    return found


def main() -> int:
    """Build (once) and measure in the equal data's own database; print the results as JSON
    on the last line for bench/run.py."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(log=lambda message: print(message, file=sys.stderr, flush=True))
    results = measure(log=lambda message: print(message, file=sys.stderr, flush=True))
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
