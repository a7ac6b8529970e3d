"""The supervisor's queue: what was accepted on the tasks it supervises since it last
looked, with its own findings there still open; and the overdue work under its supervision."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Body
from tasks.dashboards.access import SUPERVISOR_ROLES
from tasks.dashboards.base import visible_reports, work
from tasks.models import Assignment, Finding, ProgressReport, ReportingPeriod, ReportState

from .common import OverdueWork, PeriodOwing, bodies_of, overdue_work, owing_by_body


@dataclass
class SupervisorQueue:
    bodies: list[Body]
    since: datetime
    accepted: list[ProgressReport]
    overdue: OverdueWork
    periods: list[PeriodOwing]

    @property
    def body_names(self) -> str:
        return ", ".join(body.display_name for body in self.bodies)

    @property
    def overdue_periods(self) -> list[PeriodOwing]:
        return [period for period in self.periods if period.past_due]


def open_findings(bodies: list[Body]):
    """The findings the supervising bodies recorded on the outer report's task and have not
    yet seen through: those of a period still open, or of no period. A finding has no state
    of its own; it is settled when its period is closed."""
    return Finding.objects.filter(
        supervision__item=OuterRef("assignment__item"),
        supervision__body__in=bodies,
        supervision__role=Assignment.Role.SUPERVISE,
    ).filter(Q(period__isnull=True) | ~Q(period__state=ReportingPeriod.State.CLOSED))


def supervisor_queue(
    *, user, today: date, since: datetime, periods: list[ReportingPeriod]
) -> SupervisorQueue:
    """Three queries: the reports accepted since `since` on the assignments the user may see
    as a supervisor (each with its supervision and how many of its findings are open), the
    overdue assignments, and the overdue reports of the open periods."""
    bodies = bodies_of(user, SUPERVISOR_ROLES)
    supervision = Assignment.objects.filter(
        item=OuterRef("assignment__item"),
        body__in=bodies,
        role=Assignment.Role.SUPERVISE,
        cancelled_on__isnull=True,
    ).order_by("body__position", "pk")
    accepted = list(
        visible_reports(user)
        .filter(
            state=ReportState.ACCEPTED,
            reviewed_at__gt=since,
            assignment__in=work(user),
            assignment__item__in=Assignment.objects.filter(
                body__in=bodies, role=Assignment.Role.SUPERVISE, cancelled_on__isnull=True
            ).values("item"),
        )
        .annotate(
            supervision_id=Subquery(supervision.values("pk")[:1]),
            open_findings=Coalesce(
                Subquery(
                    open_findings(bodies)
                    .order_by()
                    .values("supervision__item")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
        )
        .select_related("assignment__item__programme", "assignment__body", "period")
        .order_by("-reviewed_at", "pk")
    )
    return SupervisorQueue(
        bodies=bodies,
        since=since,
        accepted=accepted,
        overdue=overdue_work(user, today=today),
        periods=owing_by_body(user, periods=periods, today=today),
    )
