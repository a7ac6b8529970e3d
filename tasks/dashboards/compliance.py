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
# Bodies listed per period as not having reported, most owing first; the rest are one link
# away. A merged province has hundreds of bodies, and the page must stay readable.
NOT_REPORTED_LIMIT = 25


@dataclass(frozen=True)
class MissingReports:
    period: ReportingPeriod
    body: Body
    count: int
    url: str


@dataclass(frozen=True)
class PeriodMissing:
    """The bodies owing reports for one period: the first NOT_REPORTED_LIMIT of them, how
    many there are in all, and the list of every assignment without a sent report."""

    period: ReportingPeriod
    rows: list[MissingReports]
    body_count: int
    url: str

    @property
    def more(self) -> int:
        return self.body_count - len(self.rows)


@dataclass
class CompliancePage:
    overall: StatusCounts
    by_group: list[CountRow]
    by_body: list[CountRow]
    overdue: list[Assignment]
    overdue_count: int
    overdue_url: str
    selected_periods: list[ReportingPeriod]
    # The bodies owing reports, for each selected period.
    not_reported: list[PeriodMissing]


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
                & ~Exists(sent_report_for(period.pk)),
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
            key = f"p{period.pk}"
            owing = [row for row in rows if row[key]]
            shown = sorted(owing, key=lambda row: -row[key])[:NOT_REPORTED_LIMIT]
            shown_ids = {row["body_id"] for row in shown}
            missing = [
                MissingReports(
                    period,
                    bodies[row["body_id"]],
                    row[key],
                    list_url(
                        role=REPORTING,
                        body=row["body_id"],
                        period=period.pk,
                        report=ReportFilter.NOT_SUBMITTED,
                    ),
                )
                # In the bodies' order, as the tables above.
                for row in owing
                if row["body_id"] in shown_ids
            ]
            not_reported.append(
                PeriodMissing(
                    period,
                    missing,
                    len(owing),
                    list_url(role=REPORTING, period=period.pk, report=ReportFilter.NOT_SUBMITTED),
                )
            )

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
