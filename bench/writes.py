"""Writes at the benchmark's scale: a leader submitting a progress report through the service
the submit button calls (tasks.services.reports.report_submit: the row locked, the policy
asked through the body's grants, the report saved with its history record, committed).

Each sample is a fresh draft, written by the body's officer through report_create (not timed);
the drafts are deleted afterwards, history included, so the data set stays as built.
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

SAMPLES = 40
GOAL_MS = 25.0


def _people(body):
    from accounts.models import Role, User
    from accounts.services import membership_grant, role_groups_sync
    from tasks.models import Assignment
    from tasks.services.grants import assignment_grants_sync

    role_groups_sync()
    items = Assignment.objects.filter(body=body).values_list("item_id", flat=True)
    assignment_grants_sync(items=list(items))
    roles = {role.code: role for role in Role.objects.all()}
    people = []
    for role in ("officer", "leader"):
        user = User.objects.filter(username=f"bench-write-{role}").first()
        if user is None:
            user = User.objects.create_user(f"bench-write-{role}", password="!", full_name=role)
        membership_grant(user=user, body=body, role=roles[role], acting_user=None, reason="bench")
        people.append(User.objects.get(pk=user.pk))
    return people


def report_submit_times() -> dict:
    from accounts.models import Body
    from tasks.models import Assignment, ProgressReport, ReportingPeriod
    from tasks.services.reports import ReportData, report_create, report_submit

    body = Body.objects.get(code="bench-body-001")
    officer, leader = _people(body)
    periods = {
        p.programme_id: p for p in ReportingPeriod.objects.filter(code="bench-open", state="open")
    }
    assignments = [
        a
        for a in Assignment.objects.filter(body=body, cancelled_on__isnull=True)
        .reporting()
        .select_related("item")
        .exclude(reports__period__code="bench-open")
        .order_by("pk")
        if a.item.programme_id in periods
    ][:SAMPLES]
    created, timings, queries = [], [], []
    try:
        for n, assignment in enumerate(assignments):
            report = report_create(
                assignment=assignment,
                period=periods[assignment.item.programme_id],
                data=ReportData(result=f"Kết quả thử tải {n}.", percent_complete=n % 100),
                acting_user=officer,
            )
            created.append(report.pk)
            # As the view does: the report read for the request, then the service called.
            report = ProgressReport.objects.get(pk=report.pk)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                report_submit(report=report, acting_user=leader)
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
    finally:
        history = ProgressReport.history.model
        history.objects.filter(id__in=created).delete()
        ProgressReport.objects.filter(pk__in=created).delete()
        history.objects.filter(id__in=created).delete()
    if not timings:
        return {
            "value": None,
            "unit": "ms",
            "goal": f"median < {GOAL_MS:g} ms",
            "pass": False,
            "reason": "no assignment to report on",
        }
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p95 = ordered[round(0.95 * (len(ordered) - 1))]
    entry = {
        "value": round(p50, 1),
        "unit": "ms (median)",
        "goal": f"median < {GOAL_MS:g} ms",
        "pass": p50 < GOAL_MS,
        "p95_ms": round(p95, 1),
        "samples": len(timings),
        "queries": max(queries),
    }
    if not entry["pass"]:
        entry["reason"] = f"median {p50:.1f} ms"
    return entry
