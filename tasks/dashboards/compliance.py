"""The Party Office's compliance overview."""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count

from accounts.collation import vi_sort_key
from accounts.models import Body
from programme.models import Item

from ..models import Assignment, ReportingPeriod
from ..reporting import default_period, owing_assignments
from ..status import Status
from .base import (
    REPORTING,
    SENT_STATES,
    CountRow,
    ReportFilter,
    ReportingCounts,
    Sort,
    StatusCounts,
    bodies_by_id,
    counts_by,
    detail_url,
    list_url,
    task_group_expression,
    tooltip,
    with_days,
    with_status,
    work,
)

# The overview lists the longest overdue first and links to the full list.
OVERDUE_LIMIT = 50
# Bodies listed per period as not having reported, most owing first; the rest are one link
# away. A merged province has hundreds of bodies, and the page must stay readable.
NOT_REPORTED_LIMIT = 25
# Bodies per page of the two tables by body: a merged province has hundreds, and rendering
# every one on each request was most of the page's time. The overall counts above them and the
# export still count every body.
BODIES_PER_PAGE = 25


def page_limits() -> tuple[int, int, int]:
    """The limits the page is cut to: a part of the key of the cached page, so that HTML cut
    to other limits (before a deploy that changed them) is never shown."""
    return (OVERDUE_LIMIT, NOT_REPORTED_LIMIT, BODIES_PER_PAGE)


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


@dataclass(frozen=True)
class ReportingRow:
    """One line of the reporting table: a task group or a body."""

    label: str
    title: str
    url: str
    counts: ReportingCounts

    @property
    def tooltip(self) -> str:
        return tooltip(self.title)


@dataclass
class CompliancePage:
    overall: StatusCounts
    by_group: list[CountRow]
    by_body: list[CountRow]
    overdue: list[Assignment]
    overdue_count: int
    overdue_url: str
    # The chosen period (by default the latest past its due date, or else the open one).
    selected_periods: list[ReportingPeriod]
    # The bodies owing reports for the chosen period.
    not_reported: list[PeriodMissing]
    # Reporting compliance for the chosen period: overall, by task group and by body.
    reporting: ReportingCounts | None = None
    reporting_by_group: list[ReportingRow] = field(default_factory=list)
    reporting_by_body: list[ReportingRow] = field(default_factory=list)
    # Every programme with task groups, to choose from (a merged province tracks several).
    programmes: list = field(default_factory=list)
    # The page of bodies shown in both tables by body (Django's Page of the status table's).
    bodies_page: Page | None = None
    reporting_bodies_page: Page | None = None

    @property
    def overdue_all(self) -> int:
        """Overdue work and overdue reports: one heading, two counts said apart."""
        return self.overdue_count + (self.reporting.overdue.count if self.reporting else 0)

    @property
    def period(self) -> ReportingPeriod | None:
        return self.selected_periods[0] if self.selected_periods else None


def compliance_page(
    *,
    user,
    today: date,
    periods: list[ReportingPeriod],
    period_id: int | None = None,
    programme_id: int | None = None,
    body_page: int | str | None = None,
) -> CompliancePage:
    """Counts by status overall, by task group and by body; the overdue; and for the chosen
    period of `periods` (by default the latest past its due date, or else the open one) the
    reporting compliance overall, by task group and by body, and the bodies that have not
    reported. With `programme_id`, only that programme's work, task groups and periods (a
    merged province tracks more than one). The tables by body show the `body_page`th page of
    BODIES_PER_PAGE bodies. Six queries."""
    scope = work(user)
    base = {"role": REPORTING}
    # Every task group, of every programme: the programmes to offer come with them.
    all_groups = list(
        Item.objects.filter(section=Item.Section.TASKS, kind=Item.Kind.GROUP)
        .select_related("programme")
        .order_by("programme", "sequence")
    )
    programmes = list({group.programme_id: group.programme for group in all_groups}.values())
    if programme_id not in {programme.pk for programme in programmes}:
        programme_id = None
    if programme_id is not None:
        periods = [p for p in periods if p.programme_id == programme_id]
        scope = scope.filter(item__programme_id=programme_id)
        base["programme"] = programme_id
    chosen = next((p for p in periods if p.pk == period_id), None) or default_period(
        periods, today=today
    )
    selected = [chosen] if chosen is not None else []
    assignments = with_status(scope, today=today)

    by_group_counts = counts_by(
        assignments.annotate(task_group=task_group_expression()), "task_group"
    )
    by_group = []
    groups_list = [g for g in all_groups if programme_id in (None, g.programme_id)]
    for group in groups_list:
        counts = StatusCounts({**base, "group": group.pk})
        for status, n in by_group_counts.get(group.pk, {}).items():
            counts.add(status, n)
        by_group.append(
            CountRow(
                group.key,
                group.text,
                detail_url("item_detail", group.programme.code, group.key),
                counts,
            )
        )

    by_body_counts = counts_by(assignments, "body_id")
    bodies = bodies_by_id(by_body_counts)
    overall = StatusCounts(dict(base))
    for per_status in by_body_counts.values():
        for status, n in per_status.items():
            overall.add(status, n)
    # Body ids, not bodies, are paged: the pages are cached with the page's HTML.
    in_body_order = sorted(bodies, key=lambda b: (bodies[b].position, vi_sort_key(bodies[b].name)))
    bodies_page = Paginator(in_body_order, BODIES_PER_PAGE).get_page(body_page)
    by_body = []
    for body_id in bodies_page.object_list:
        body = bodies[body_id]
        counts = StatusCounts({**base, "body": body_id})
        for status, n in by_body_counts[body_id].items():
            counts.add(status, n)
        by_body.append(
            CountRow(body.display_name, body.name, detail_url("body_detail", body.code), counts)
        )

    overdue = list(
        assignments.filter(status=Status.OVERDUE)
        .select_related("item__programme", "body")
        .order_by("effective_deadline_on", "item__sequence", "pk")[:OVERDUE_LIMIT]
    )
    with_days(overdue, today=today)

    not_reported = []
    reporting, reporting_by_group, reporting_by_body = None, [], []
    reporting_bodies_page = None
    if chosen is not None:
        period = chosen
        on_period = {**base, "period": period.pk}
        # One query: the owing rows grouped by task group, body, reporting status and the
        # state of the sent report; every table below is a sum of these.
        rows = list(
            owing_assignments(period, today=today, assignments=scope)
            .annotate(task_group=task_group_expression())
            .values("task_group", "body_id", "reporting_status", "report_state")
            .annotate(n=Count("id"))
            .order_by()
        )
        reporting = ReportingCounts(dict(on_period))
        group_counts = {g.pk: ReportingCounts({**on_period, "group": g.pk}) for g in groups_list}
        body_counts: dict[int, ReportingCounts] = {}
        unsent: dict[int, int] = {}
        for row in rows:
            status, n, body_id = row["reporting_status"], row["n"], row["body_id"]
            reporting.add(status, n)
            if row["task_group"] in group_counts:
                group_counts[row["task_group"]].add(status, n)
            body_counts.setdefault(body_id, ReportingCounts({**on_period, "body": body_id}))
            body_counts[body_id].add(status, n)
            if row["report_state"] not in SENT_STATES:
                unsent[body_id] = unsent.get(body_id, 0) + n
        reporting_by_group = [
            ReportingRow(row.label, row.title, row.url, group_counts[group.pk])
            for group, row in zip(groups_list, by_group, strict=True)
        ]
        # The owing rows are a part of all work, so their bodies are already fetched and sorted.
        in_order = [b for b in in_body_order if b in body_counts]
        reporting_bodies_page = Paginator(in_order, BODIES_PER_PAGE).get_page(body_page)
        reporting_by_body = [
            ReportingRow(
                bodies[b].display_name,
                bodies[b].name,
                detail_url("body_detail", bodies[b].code),
                body_counts[b],
            )
            for b in reporting_bodies_page.object_list
        ]
        owing_bodies = [b for b in in_order if unsent.get(b)]
        shown_ids = set(sorted(owing_bodies, key=lambda b: -unsent[b])[:NOT_REPORTED_LIMIT])
        not_reported.append(
            PeriodMissing(
                period,
                [
                    MissingReports(
                        period,
                        bodies[b],
                        unsent[b],
                        list_url(
                            **base,
                            body=b,
                            period=period.pk,
                            report=ReportFilter.NOT_SUBMITTED,
                        ),
                    )
                    # In the bodies' order, as the tables above.
                    for b in owing_bodies
                    if b in shown_ids
                ],
                len(owing_bodies),
                list_url(**base, period=period.pk, report=ReportFilter.NOT_SUBMITTED),
            )
        )

    return CompliancePage(
        programmes=programmes,
        overall=overall,
        by_group=by_group,
        by_body=by_body,
        overdue=overdue,
        overdue_count=overall.by_status.get(Status.OVERDUE, 0),
        overdue_url=list_url(**base, status=[Status.OVERDUE.value], sort=Sort.DEADLINE),
        selected_periods=selected,
        not_reported=not_reported,
        reporting=reporting,
        reporting_by_group=reporting_by_group,
        reporting_by_body=reporting_by_body,
        bodies_page=bodies_page,
        reporting_bodies_page=reporting_bodies_page,
    )
