"""The list of progress reports: what bodies wrote, period by period, through the report
policy (a body's own drafts, and the sent reports of the assignments one may see; another
body's drafts never), filtered by period, body, state, task group and whether each was sent on
time (tasks.reporting's one rule)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import Assignment, ProgressReport, ReportingPeriod
from ..reporting import ReportingStatus, reports_with_reporting_status
from ..selectors import task_group_expression
from .base import visible_reports


class Timing:
    """Whether a report was sent by its period's due date (tasks.reporting)."""

    ON_TIME = "on_time"
    LATE = "late"
    NOT_SENT = "not_sent"

    choices = [
        (ON_TIME, _("Sent on time")),
        (LATE, _("Sent late")),
        (NOT_SENT, _("Not sent yet (draft)")),
    ]
    statuses = {
        ON_TIME: [ReportingStatus.SENT_ON_TIME.value],
        LATE: [ReportingStatus.SENT_LATE.value],
        NOT_SENT: [
            ReportingStatus.NOT_DUE.value,
            ReportingStatus.DUE_SOON.value,
            ReportingStatus.OVERDUE.value,
        ],
    }


@dataclass(frozen=True)
class ReportFilters:
    period_id: int | None = None
    body_id: int | None = None
    state: str = ""
    group_id: int | None = None
    timing: str = ""


def report_list_queryset(
    *, user, filters: ReportFilters, periods: list[ReportingPeriod], today: date
) -> QuerySet[ProgressReport]:
    """The reports the user may see matching the filters, each with its reporting status for
    its period, newest period first; one query per page and one to count."""
    queryset = visible_reports(user)
    if filters.period_id is not None:
        queryset = queryset.filter(period_id=filters.period_id)
    if filters.body_id is not None:
        queryset = queryset.filter(assignment__body_id=filters.body_id)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.group_id is not None:
        in_group = Assignment.objects.alias(task_group=task_group_expression()).filter(
            pk=OuterRef("assignment_id"), task_group=filters.group_id
        )
        queryset = queryset.filter(Exists(in_group))
    queryset = reports_with_reporting_status(queryset, periods, today=today)
    if filters.timing in Timing.statuses:
        queryset = queryset.filter(reporting_status__in=Timing.statuses[filters.timing])
    return queryset.select_related(
        "assignment__item__programme", "assignment__body", "period"
    ).order_by(
        "-period__due_on", "assignment__item__programme_id", "assignment__item__sequence", "pk"
    )
