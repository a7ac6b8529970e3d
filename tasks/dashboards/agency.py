"""The agency home: the work of the user's own bodies, and the leader's own queue.

"Overdue" here means what it means on every page: work past its deadline (the four-way
status) and reports past their period's due date (tasks.reporting), counted and listed
separately under one heading.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Body, Role
from accounts.permissions import active_memberships
from versions.data import fragment_cached

from ..models import Assignment, ExtensionRequest, ProgressReport, ReportingPeriod, ReportState
from ..reporting import (
    ReportingStatus,
    days_late,
    first_sent_at_of,
    owes,
    reporting_status,
)
from ..status import Status
from .access import AGENCY_ROLES
from .assignment_list import visibility_class
from .base import REPORTING, StatusCounts, counts_by, visible_reports, with_days, with_status, work

# The leader's queue shows the extension requests decided in the last days: counted in whole
# days, from the start of the day RECENT_DECISION_DAYS before today, so that what the page
# shows changes with the day and the data only, and can be kept for the day.
RECENT_DECISION_DAYS = 30


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


@dataclass(frozen=True)
class ReportDue:
    """A report owed for an open period and not sent: overdue or due soon."""

    period: ReportingPeriod
    assignment: Assignment
    status: ReportingStatus
    report: ProgressReport | None  # the body's own draft, if any
    days_late: int
    days_left: int


@dataclass
class AgencyHome:
    bodies: list[BodyWork]
    # Work due soon or past its deadline.
    attention: list[Assignment]
    returned: list[ProgressReport]
    to_submit: list[ToSubmit]
    extensions: list[ExtensionRequest]
    open_periods: list[ReportingPeriod]
    # Reports of the open periods not sent, past their due date or due soon.
    reports_due: list[ReportDue]
    # The leader's own queue.
    is_leader: bool = False
    drafts_to_send: list[ToSubmit] | None = None
    decided_extensions: list[ExtensionRequest] | None = None

    @property
    def several_bodies(self) -> bool:
        return len(self.bodies) > 1

    @property
    def overdue_work(self) -> int:
        return sum(1 for a in self.attention if a.status == Status.OVERDUE)

    @property
    def overdue_reports(self) -> int:
        return sum(1 for r in self.reports_due if r.status == ReportingStatus.OVERDUE)

    @property
    def overdue(self) -> int:
        return self.overdue_work + self.overdue_reports

    @property
    def due_soon(self) -> int:
        return len(self.attention) + len(self.reports_due) - self.overdue

    @property
    def attention_count(self) -> int:
        return len(self.attention) + len(self.reports_due)


def agency_home_page(*, user, today: date) -> AgencyHome:
    """The work of the bodies where the user is an officer or leader: each assignment with its
    status; the work and the reports due soon or overdue; what was returned; what is owed for
    the open periods; the extension requests awaiting a decision; and, for a leader, the
    drafts waiting to be submitted and the extension requests decided lately. Six
    queries."""
    bodies, led = [], set()
    for membership in active_memberships(user):
        if membership.role.code in AGENCY_ROLES:
            if membership.body not in bodies:
                bodies.append(membership.body)
            if membership.role.code == Role.LEADER:
                led.add(membership.body_id)
    if not bodies:
        return AgencyHome([], [], [], [], [], [], [])
    body_ids = [body.pk for body in bodies]
    own_work = work(user).filter(body_id__in=body_ids)
    assignments = with_status(own_work, today=today)

    open_periods = list(
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("due_on", "pk")
    )
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

    # The body's own drafts as well as its sent reports: what the leader has to send. A sent
    # report is visible to whoever sees its assignment, so every report sent for a row is here.
    reports = {
        (report.assignment_id, report.period_id): report
        for report in visible_reports(user).filter(period__in=open_periods, assignment__in=own_work)
    }
    # In the order of the periods, the one due first first, then of the rows.
    by_programme: dict[int, list[Assignment]] = {}
    for assignment in rows:
        by_programme.setdefault(assignment.item.programme_id, []).append(assignment)
    to_submit, reports_due = [], []
    for period in open_periods:
        for assignment in by_programme.get(period.programme_id, []):
            if not owes(assignment, period):
                continue
            report = reports.get((assignment.pk, period.pk))
            if report is None or report.state in ProgressReport.EDITABLE_STATES:
                to_submit.append(ToSubmit(period, assignment, report))
            status = reporting_status(
                first_sent_at=first_sent_at_of(report), due_on=period.due_on, today=today
            )
            if status in (ReportingStatus.OVERDUE, ReportingStatus.DUE_SOON):
                reports_due.append(
                    ReportDue(
                        period,
                        assignment,
                        status,
                        report,
                        days_late(first_sent_at=None, due_on=period.due_on, today=today),
                        (period.due_on - today).days,
                    )
                )

    returned = list(
        visible_reports(user)
        .filter(state=ReportState.RETURNED, assignment__in=own_work)
        .select_related("assignment__item__programme", "assignment__body", "period")
        .order_by("-reviewed_at", "pk")
    )
    # Pending requests, and for a leader those decided lately, in one query.
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=RECENT_DECISION_DAYS), time.min),
        timezone.get_default_timezone(),
    )
    decided = Q(assignment__body_id__in=led, decided_at__gte=since) if led else Q(pk__in=[])
    requests = list(
        ExtensionRequest.objects.filter(assignment__in=own_work)
        .filter(Q(state=ExtensionRequest.State.PENDING) | decided)
        .select_related(
            "assignment__item__programme", "assignment__body", "requested_by", "decided_by"
        )
        .order_by("requested_at", "pk")
    )
    page = AgencyHome(
        bodies=list(by_body.values()),
        attention=attention,
        returned=returned,
        to_submit=to_submit,
        extensions=[e for e in requests if e.state == ExtensionRequest.State.PENDING],
        open_periods=open_periods,
        reports_due=reports_due,
        is_leader=bool(led),
    )
    if led:
        page.drafts_to_send = [
            entry
            for entry in to_submit
            if entry.report is not None
            and entry.report.state == ReportState.DRAFT
            and entry.assignment.body_id in led
        ]
        page.decided_extensions = sorted(
            (e for e in requests if e.state != ExtensionRequest.State.PENDING),
            key=lambda e: (e.decided_at, e.pk),
            reverse=True,
        )
    return page


def agency_work_html(*, user, today: date) -> SafeString:
    """The agency home's content (tasks/includes/agency_work.html) as the user's desk and
    /my-work/ show it, rendered once per data version, language and day for everyone who
    holds the same agency roles in the same bodies and sees as much: what the page shows
    depends on nothing else (no name of the viewer, no form). One query when it is kept,
    for the data version."""
    pairs = sorted(
        {
            (membership.body_id, membership.role.code)
            for membership in active_memberships(user)
            if membership.role.code in AGENCY_ROLES
        }
    )

    def render() -> str:
        context = {
            "page": agency_home_page(user=user, today=today),
            "today": today,
            "is_agency_member": True,
        }
        return render_to_string("tasks/includes/agency_work.html", context)

    html = fragment_cached(
        "agency-work", (visibility_class(user), pairs, today.isoformat()), render
    )
    return mark_safe(html)
