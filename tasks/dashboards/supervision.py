"""The supervisor's view of what its bodies supervise."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Subquery

from accounts.collation import collated
from accounts.models import Body
from accounts.permissions import active_memberships

from ..models import Assignment, ReportingPeriod
from ..reporting import default_period, owing_assignments
from ..status import Status, rolled_up
from .access import SUPERVISOR_ROLES
from .base import (
    SENT_STATES,
    period_list_all,
    visible_assignments,
    visible_reports,
    with_status,
    work,
)


@dataclass
class SupervisedTask:
    supervision: Assignment
    assignments: list[Assignment]

    @property
    def status(self) -> Status | None:
        return rolled_up([Status(a.status) for a in self.assignments])


@dataclass
class SupervisionPage:
    bodies: list[Body]
    tasks: list[SupervisedTask]
    # The period whose reporting status each assignment shows (tasks.reporting).
    period: ReportingPeriod | None = None

    @property
    def body_names(self) -> str:
        return ", ".join(body.display_name for body in self.bodies)


def supervision_page(*, user, today: date) -> SupervisionPage:
    """The tasks the user's bodies supervise, the status of the assignments that carry each
    out, their reporting status for the latest period due and the latest report sent on each
    (never a draft). Five queries."""
    bodies = []
    for membership in active_memberships(user):
        if membership.role.code in SUPERVISOR_ROLES and membership.body not in bodies:
            bodies.append(membership.body)
    if not bodies:
        return SupervisionPage([], [])
    supervisions_qs = visible_assignments(user).filter(
        role=Assignment.Role.SUPERVISE,
        body_id__in=[body.pk for body in bodies],
        cancelled_on__isnull=True,
    )
    supervisions = list(
        supervisions_qs.select_related("item__programme", "body")
        .annotate(finding_count=Count("findings"))
        .order_by("item__programme_id", "item__sequence", "body__position", "pk")
    )
    latest = (
        visible_reports(user)
        .filter(assignment=OuterRef("pk"), state__in=SENT_STATES)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        with_status(work(user), today=today)
        .filter(item__in=supervisions_qs.values("item"))
        .annotate(latest_report_id=Subquery(latest))
        .select_related("body")
        .order_by("item_id", "role", "body__position", collated("body__name"), "pk")
    )
    reports = {
        report.pk: report
        for report in visible_reports(user)
        .filter(pk__in=[r.latest_report_id for r in rows if r.latest_report_id])
        .select_related("period")
    }
    # Each assignment's reporting status for the latest period due, in one query more.
    period = default_period(period_list_all(), today=today)
    reporting = {}
    if period is not None:
        reporting = dict(
            owing_assignments(
                period, today=today, assignments=work(user).filter(pk__in=[r.pk for r in rows])
            ).values_list("pk", "reporting_status")
        )
    by_item: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in rows:
        assignment.reporting_status = reporting.get(assignment.pk)
        assignment.latest_report = reports.get(assignment.latest_report_id)
        by_item[assignment.item_id].append(assignment)
    return SupervisionPage(
        bodies=bodies,
        tasks=[SupervisedTask(s, by_item.get(s.item_id, [])) for s in supervisions],
        period=period,
    )
