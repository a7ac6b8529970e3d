"""The agency home: the work of the user's own bodies."""

from dataclasses import dataclass
from datetime import date

from accounts.models import Body
from accounts.permissions import active_memberships

from ..models import Assignment, ExtensionRequest, ProgressReport, ReportingPeriod, ReportState
from ..status import Status
from .access import AGENCY_ROLES
from .base import REPORTING, StatusCounts, counts_by, visible_reports, with_days, with_status, work


@dataclass
class BodyWork:
    body: Body
    counts: StatusCounts
    assignments: list[Assignment]


@dataclass(frozen=True)
class ToSubmit:
    period: ReportingPeriod
    assignment: Assignment
    report: ProgressReport | None


@dataclass
class AgencyHome:
    bodies: list[BodyWork]
    attention: list[Assignment]
    returned: list[ProgressReport]
    to_submit: list[ToSubmit]
    extensions: list[ExtensionRequest]
    open_periods: list[ReportingPeriod]

    @property
    def several_bodies(self) -> bool:
        return len(self.bodies) > 1


def agency_home_page(*, user, today: date) -> AgencyHome:
    """The work of the bodies where the user is an officer or leader: each assignment with its
    status, what is due soon or overdue, what was returned, what is owed for the open periods,
    and the extension requests awaiting a decision. Six queries."""
    bodies = []
    for membership in active_memberships(user):
        if membership.role.code in AGENCY_ROLES and membership.body not in bodies:
            bodies.append(membership.body)
    if not bodies:
        return AgencyHome([], [], [], [], [], [])
    body_ids = [body.pk for body in bodies]
    own_work = work(user).filter(body_id__in=body_ids)
    assignments = with_status(own_work, today=today)

    rows = list(
        assignments.select_related("item__programme", "body").order_by(
            "body__position", "body__name", "item__programme_id", "item__sequence", "role", "pk"
        )
    )
    counts = counts_by(assignments, "body_id")
    by_body = {
        body.pk: BodyWork(body, StatusCounts({"role": REPORTING, "body": body.pk}), [])
        for body in bodies
    }
    for body_id, statuses in counts.items():
        for status, n in statuses.items():
            by_body[body_id].counts.add(status, n)
    for assignment in with_days(rows, today=today):
        by_body[assignment.body_id].assignments.append(assignment)

    attention = sorted(
        (a for a in rows if a.status in (Status.OVERDUE, Status.DUE_SOON)),
        key=lambda a: (a.effective_deadline_on, a.item.sequence),
    )

    open_periods = list(
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("due_on", "pk")
    )
    reports = {
        (report.assignment_id, report.period_id): report
        for report in visible_reports(user).filter(period__in=open_periods, assignment__in=own_work)
    }
    to_submit = []
    for period in open_periods:
        for assignment in rows:
            if assignment.completed_on or assignment.item.programme_id != period.programme_id:
                continue
            report = reports.get((assignment.pk, period.pk))
            if report is None or report.state in ProgressReport.EDITABLE_STATES:
                to_submit.append(ToSubmit(period, assignment, report))

    returned = list(
        visible_reports(user)
        .filter(state=ReportState.RETURNED, assignment__in=own_work)
        .select_related("assignment__item__programme", "assignment__body", "period")
        .order_by("-reviewed_at", "pk")
    )
    extensions = list(
        ExtensionRequest.objects.filter(
            state=ExtensionRequest.State.PENDING, assignment__in=own_work
        )
        .select_related("assignment__item__programme", "assignment__body", "requested_by")
        .order_by("requested_at", "pk")
    )
    return AgencyHome(
        bodies=list(by_body.values()),
        attention=attention,
        returned=returned,
        to_submit=to_submit,
        extensions=extensions,
        open_periods=open_periods,
    )
