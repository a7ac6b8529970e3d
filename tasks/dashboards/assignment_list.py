"""The filtered, sorted assignment list."""

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import get_language

from accounts.collation import collated
from accounts.models import Body
from accounts.permissions import active_memberships
from programme.models import Item, Programme

from ..models import Assignment, ReportingPeriod, ReportState
from ..permissions import Action, assignment_policy
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
    """What the list's filters offer."""

    groups: list[Item]
    bodies: list[Body]
    programmes: list[Programme]
    periods: list[ReportingPeriod]


# The choices are kept this long at most; a write to what they show changes their key at once.
CHOICES_TIMEOUT = 60 * 60

# What the choices show; each is history-tracked, so a write to any of them (a delete too)
# adds a history row with a higher id.
CHOICE_MODELS = (Body, Item, Programme, ReportingPeriod)


def choices_data_version() -> tuple[int, ...]:
    """The highest history id of each table the choices show, in one query: it moves with
    every write through the services, the admin or the importer, in whichever process, so a
    per-process cache stays right."""
    tables = [model.history.model._meta.db_table for model in CHOICE_MODELS]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(value or 0 for value in cursor.fetchone())


def visibility_class(user) -> str:
    """Whom the user sees the work of: every body (a global reader), or exactly the bodies
    of their memberships. Part of every key of what is cached per visibility."""
    if assignment_policy.user_has_permission(user, Action.VIEW):
        return "all"
    bodies = sorted({membership.body_id for membership in active_memberships(user)})
    return "bodies:" + ",".join(map(str, bodies))


def visibility_key(user) -> str:
    """Exactly which rows of the list the user sees, and how: the visibility class and the
    (body, role) of each of their memberships. The grants go to one group per body and role
    (tasks.services.grants), so an officer and a supervisor of one body see different
    assignments, and only a body's officers and leaders see its drafts (the report column for
    a period). Part of every key of what is cached of the list's rows."""
    pairs = sorted({(m.body_id, m.role.code) for m in active_memberships(user)})
    return ";".join([visibility_class(user), *(f"{body}:{role}" for body, role in pairs)])


def filter_choices_key(user) -> str:
    return ":".join(
        [
            "assignment-filter-choices",
            ".".join(map(str, choices_data_version())),
            visibility_class(user) if user is not None else "-",
            get_language() or "",
        ]
    )


def filter_choices(*, user=None) -> FilterChoices:
    """What the list's filters offer: from the cache, keyed on the data version of the tables
    they show, the user's visibility class and the language (one query, for the version),
    or four queries when they changed."""
    key = filter_choices_key(user)
    choices = cache.get(key)
    if choices is None:
        choices = _filter_choices()
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices


def _filter_choices() -> FilterChoices:
    programmes = list(Programme.objects.all())
    periods = period_list_all()
    # Each period holds the one programme instance of `programmes`, not a copy of its own:
    # pickled for the cache, the choices are then under half the size, and as much faster
    # to read back.
    by_pk = {programme.pk: programme for programme in programmes}
    for period in periods:
        period.programme = by_pk.get(period.programme_id, period.programme)
    return FilterChoices(
        groups=list(
            Item.objects.filter(section=Item.Section.TASKS, kind=Item.Kind.GROUP).order_by(
                "programme", "sequence"
            )
        ),
        bodies=list(Body.objects.order_by("position", collated("name"))),
        programmes=programmes,
        periods=periods,
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
