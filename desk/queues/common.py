"""What several queues share: the roles a person holds, the open periods, the overdue work
and the reports owed, each read in one query from the tasks app's selectors."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Value, Window
from django.db.models import IntegerField as IntegerFieldType

from accounts.models import Body
from accounts.permissions import active_memberships
from tasks.dashboards.base import (
    REPORTING,
    ReportFilter,
    Sort,
    list_url,
    with_days,
    with_status,
    work,
)
from tasks.models import Assignment, ReportingPeriod, ReportState
from tasks.reporting import ReportingStatus, owing_assignments
from tasks.status import Status

# The longest-overdue assignments a queue lists; the count beside links to all of them.
OVERDUE_LIMIT = 10
# The bodies listed per period as owing overdue reports, most owing first, as the compliance
# overview lists those that have not reported; the rest are one link away.
BODIES_LIMIT = 25


def roles_of(user) -> set[str]:
    """The codes of the roles the user holds now (from the memberships the header fetches)."""
    return {membership.role.code for membership in active_memberships(user)}


def bodies_of(user, roles) -> list[Body]:
    """The bodies where the user holds one of the roles now, each once, in membership order."""
    bodies: list[Body] = []
    for membership in active_memberships(user):
        if membership.role.code in roles and membership.body not in bodies:
            bodies.append(membership.body)
    return bodies


def open_periods() -> list[ReportingPeriod]:
    """The open reporting periods, the one due first first; one query."""
    return list(
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN)
        .select_related("programme")
        .order_by("due_on", "pk")
    )


@dataclass
class OverdueWork:
    """The visible reporting assignments past their deadline, the longest overdue first: at
    most OVERDUE_LIMIT of them, how many there are, and the list of all of them."""

    rows: list[Assignment]
    count: int
    url: str

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def overdue_work(user, *, today: date, limit: int = OVERDUE_LIMIT) -> OverdueWork:
    """Counted as the compliance overview counts its "overdue" column (the same selectors:
    the user's work with its status), and listed in one query: the count rides on each row
    as a window over every overdue row, taken before the limit."""
    rows = list(
        with_status(work(user), today=today)
        .filter(status=Status.OVERDUE)
        .annotate(overdue_total=Window(Count("id")))
        .select_related("item__programme", "body")
        .order_by("effective_deadline_on", "item__sequence", "pk")[:limit]
    )
    with_days(rows, today=today)
    return OverdueWork(
        rows=rows,
        count=rows[0].overdue_total if rows else 0,
        url=list_url(role=REPORTING, status=[Status.OVERDUE.value], sort=Sort.DEADLINE),
    )


@dataclass(frozen=True)
class BodyOwing:
    """One body's reports for one period: how many are overdue and how many wait for review,
    each linking to exactly those assignments."""

    period: ReportingPeriod
    body: Body
    overdue: int
    waiting: int

    @property
    def overdue_url(self) -> str:
        return reporting_list_url(self.period, ReportingStatus.OVERDUE, body=self.body.pk)


@dataclass
class PeriodOwing:
    """What one open period is owed: the bodies with overdue reports (most first), and how
    many reports wait for the Party Office's review."""

    period: ReportingPeriod
    # Whether the period's due date has passed, so that a report not sent is overdue.
    past_due: bool
    bodies: list[BodyOwing] = field(default_factory=list)

    @property
    def overdue_bodies(self) -> list[BodyOwing]:
        rows = [row for row in self.bodies if row.overdue]
        return sorted(rows, key=lambda row: (-row.overdue, row.body.position, row.body.name))

    @property
    def shown_bodies(self) -> list[BodyOwing]:
        return self.overdue_bodies[:BODIES_LIMIT]

    @property
    def more_bodies(self) -> int:
        return len(self.overdue_bodies) - len(self.shown_bodies)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.bodies)

    @property
    def overdue_url(self) -> str:
        return reporting_list_url(self.period, ReportingStatus.OVERDUE)

    @property
    def waiting(self) -> int:
        return sum(row.waiting for row in self.bodies)

    @property
    def waiting_url(self) -> str:
        return list_url(role=REPORTING, period=self.period.pk, report=ReportFilter.SUBMITTED)


def reporting_list_url(period: ReportingPeriod, statuses, *, body: int | None = None) -> str:
    """The assignment list of the period's assignments in one reporting status or several
    (one body's, if given)."""
    if isinstance(statuses, str):
        statuses = [statuses]
    return list_url(role=REPORTING, period=period.pk, reporting=list(statuses), body=body)


_BODY_FIELDS = ("body_id", "body__code", "body__name", "body__name_en", "body__short_name")


def owing_by_body(user, *, periods: list[ReportingPeriod], today: date) -> list[PeriodOwing]:
    """For each period, each body whose reports are overdue or wait for review, with how
    many: the reporting status of tasks.reporting (owing_assignments) over the user's work,
    so a body sees only its own, a supervisor what it supervises. One query for all the
    periods (a union of one grouped select per period), the bodies read along."""
    result = {period.pk: PeriodOwing(period, period.due_on < today) for period in periods}
    if not periods:
        return []
    parts = [
        owing_assignments(period, today=today, assignments=work(user))
        .values(*_BODY_FIELDS, "body__position")
        .annotate(
            period_key=Value(period.pk, output_field=IntegerFieldType()),
            overdue=Count("id", filter=Q(reporting_status=ReportingStatus.OVERDUE)),
            waiting=Count("id", filter=Q(report_state=ReportState.SUBMITTED)),
        )
        .filter(Q(overdue__gt=0) | Q(waiting__gt=0))
        .order_by()
        for period in periods
    ]
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for row in query:
        body = Body(
            pk=row["body_id"],
            code=row["body__code"],
            name=row["body__name"],
            name_en=row["body__name_en"],
            short_name=row["body__short_name"],
            position=row["body__position"],
        )
        owing = result[row["period_key"]]
        owing.bodies.append(BodyOwing(owing.period, body, row["overdue"], row["waiting"]))
    return list(result.values())
