"""The Party Office's compliance overview."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Q
from django.urls import reverse

from accounts.collation import vi_sort_key
from accounts.models import Body
from programme.models import Item

from ..models import Assignment, ReportingPeriod
from ..status import Status
from .base import (
    REPORTING,
    CountRow,
    ReportFilter,
    Sort,
    StatusCounts,
    bodies_by_id,
    counts_by,
    list_url,
    sent_report_for,
    task_group_expression,
    with_days,
    with_status,
    work,
)

# The overview lists the longest overdue first and links to the full list.
OVERDUE_LIMIT = 50


@dataclass(frozen=True)
class MissingReports:
    period: ReportingPeriod
    body: Body
    count: int
    url: str


@dataclass
class CompliancePage:
    overall: StatusCounts
    by_group: list[CountRow]
    by_body: list[CountRow]
    overdue: list[Assignment]
    overdue_count: int
    overdue_url: str
    selected_periods: list[ReportingPeriod]
    # (period, the bodies owing reports for it), for each selected period.
    not_reported: list[tuple[ReportingPeriod, list[MissingReports]]]


def compliance_page(
    *, user, today: date, periods: list[ReportingPeriod], period_id: int | None = None
) -> CompliancePage:
    """Counts by status overall, by task group and by body; the overdue; the bodies that have
    not reported for the chosen period of `periods` (by default every open one). Six
    queries."""
    selected = [p for p in periods if p.pk == period_id] or [p for p in periods if p.is_open]
    assignments = with_status(work(user), today=today)
    base = {"role": REPORTING}

    by_group_counts = counts_by(
        assignments.annotate(task_group=task_group_expression()), "task_group"
    )
    groups = Item.objects.filter(section=Item.Section.TASKS, kind=Item.Kind.GROUP).select_related(
        "programme"
    )
    by_group = []
    for group in groups.order_by("programme", "sequence"):
        counts = StatusCounts({**base, "group": group.pk})
        for status, n in by_group_counts.get(group.pk, {}).items():
            counts.add(status, n)
        by_group.append(
            CountRow(
                group.key,
                group.text,
                reverse("item_detail", args=[group.programme.code, group.key]),
                counts,
            )
        )

    by_body_counts = counts_by(assignments, "body_id")
    bodies = bodies_by_id(by_body_counts)
    overall = StatusCounts(dict(base))
    by_body = []
    for body in sorted(bodies.values(), key=lambda b: (b.position, vi_sort_key(b.name))):
        counts = StatusCounts({**base, "body": body.pk})
        for status, n in by_body_counts[body.pk].items():
            counts.add(status, n)
            overall.add(status, n)
        by_body.append(
            CountRow(body.display_name, body.name, reverse("body_detail", args=[body.code]), counts)
        )

    overdue = list(
        assignments.filter(status=Status.OVERDUE)
        .select_related("item__programme", "body")
        .order_by("effective_deadline_on", "item__sequence", "pk")[:OVERDUE_LIMIT]
    )
    with_days(overdue, today=today)

    not_reported = []
    if selected:
        owing = {
            f"p{period.pk}": Count(
                "id",
                filter=Q(item__programme_id=period.programme_id)
                & ~Exists(sent_report_for(user, period.pk)),
            )
            for period in selected
        }
        rows = list(
            work(user)
            .filter(completed_on__isnull=True)
            .values("body_id")
            .annotate(**owing)
            .order_by()
        )
        # Live work is a part of all work, so its bodies are already fetched.
        rows.sort(key=lambda r: (bodies[r["body_id"]].position, bodies[r["body_id"]].name))
        for period in selected:
            missing = []
            for row in rows:
                count = row[f"p{period.pk}"]
                if count:
                    body = bodies[row["body_id"]]
                    missing.append(
                        MissingReports(
                            period,
                            body,
                            count,
                            list_url(
                                role=REPORTING,
                                body=body.pk,
                                period=period.pk,
                                report=ReportFilter.NOT_SUBMITTED,
                            ),
                        )
                    )
            not_reported.append((period, missing))

    return CompliancePage(
        overall=overall,
        by_group=by_group,
        by_body=by_body,
        overdue=overdue,
        overdue_count=overall.by_status.get(Status.OVERDUE, 0),
        overdue_url=list_url(role=REPORTING, status=[Status.OVERDUE.value], sort=Sort.DEADLINE),
        selected_periods=selected,
        not_reported=not_reported,
    )
