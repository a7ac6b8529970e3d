"""The filtered, sorted assignment list."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet

from accounts.collation import collated
from accounts.models import Body
from programme.models import Item, Programme

from ..models import Assignment, ReportingPeriod, ReportState
from ..reporting import owing_assignments
from .base import (
    REPORTING,
    SENT_STATES,
    ReportFilter,
    Sort,
    expected_for_period,
    period_list_all,
    status_rank,
    task_group_expression,
    visible_assignments,
    with_status,
)


@dataclass(frozen=True)
class FilterChoices:
    """What the list's filters offer, one query each."""

    groups: list[Item]
    bodies: list[Body]
    programmes: list[Programme]
    periods: list[ReportingPeriod]


def filter_choices() -> FilterChoices:
    return FilterChoices(
        groups=list(
            Item.objects.filter(section=Item.Section.TASKS, kind=Item.Kind.GROUP).order_by(
                "programme", "sequence"
            )
        ),
        bodies=list(Body.objects.order_by("position", collated("name"))),
        programmes=list(Programme.objects.all()),
        periods=period_list_all(),
    )


@dataclass(frozen=True)
class AssignmentFilters:
    statuses: tuple[str, ...] = ()
    group_id: int | None = None
    body_id: int | None = None
    role: str = ""
    programme_id: int | None = None
    period: ReportingPeriod | None = None
    report: str = ""
    # Reporting statuses for the period (tasks.reporting); the period is then always set.
    reporting: tuple[str, ...] = ()
    sort: str = Sort.TASK


def _orderings(descending: bool) -> dict[str, list]:
    """The orders of the list's sortable columns; descending reverses each key, and a missing
    deadline stays last either way."""

    def key(name: str):
        return F(name).desc() if descending else F(name).asc()

    def deadline():
        deadline = F("effective_deadline_on")
        return deadline.desc(nulls_last=True) if descending else deadline.asc(nulls_last=True)

    return {
        Sort.TASK: [
            key("item__programme_id"),
            key("item__sequence"),
            "body__position",
            "body__name",
            "role",
        ],
        Sort.DEADLINE: [deadline(), "item__sequence"],
        Sort.BODY: [key("body__position"), key("body__name"), "item__sequence", "role"],
        Sort.STATUS: [key("status_rank"), deadline(), "item__sequence"],
        ROLE: [key("role"), "item__sequence", "body__position", "body__name"],
    }


# The role column sorts too (by its stored value, the order of Assignment.Role).
ROLE = "role"


def assignment_list_ordered(
    queryset: QuerySet[Assignment], *, sort: str, descending: bool = False
) -> QuerySet[Assignment]:
    """The list's rows in the order of one column (`Sort`, or "role"), the id last so that
    pages never overlap."""
    orderings = _orderings(descending)
    if sort not in orderings:
        sort = Sort.TASK
    if sort == Sort.STATUS:
        queryset = queryset.annotate(status_rank=status_rank())
    return queryset.order_by(*orderings[sort], "-pk" if descending else "pk")


def assignment_list_queryset(
    *, user, filters: AssignmentFilters, today: date
) -> QuerySet[Assignment]:
    """The visible, not cancelled assignments matching the filters, with their status (and,
    when a period is chosen, the state of the report for it and the reporting status), sorted
    (the page's table sorts it again by the heading chosen); one query per page and one to
    count."""
    queryset = with_status(visible_assignments(user).filter(cancelled_on__isnull=True), today=today)
    if filters.period is not None:
        queryset = expected_for_period(queryset, user=user, period=filters.period)
        report_state = {
            ReportFilter.NOT_SUBMITTED: Q(period_report_state__isnull=True)
            | ~Q(period_report_state__in=SENT_STATES),
            ReportFilter.SUBMITTED: Q(period_report_state=ReportState.SUBMITTED),
            ReportFilter.ACCEPTED: Q(period_report_state=ReportState.ACCEPTED),
            ReportFilter.SENT: Q(period_report_state__in=SENT_STATES),
        }.get(filters.report)
        if report_state is not None:
            queryset = queryset.filter(report_state)
        queryset = owing_assignments(filters.period, today=today, assignments=queryset)
        if filters.reporting:
            queryset = queryset.filter(reporting_status__in=filters.reporting)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.group_id is not None:
        queryset = queryset.alias(task_group=task_group_expression()).filter(
            task_group=filters.group_id
        )
    if filters.body_id is not None:
        queryset = queryset.filter(body_id=filters.body_id)
    if filters.role == REPORTING:
        queryset = queryset.filter(role__in=Assignment.REPORTING_ROLES)
    elif filters.role:
        queryset = queryset.filter(role=filters.role)
    if filters.programme_id is not None:
        queryset = queryset.filter(item__programme_id=filters.programme_id)
    return assignment_list_ordered(
        queryset.select_related("item__programme", "body"), sort=filters.sort
    )
