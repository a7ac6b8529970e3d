"""What every dashboard shares: the querysets through the policy, the status annotations, the
links to the filtered list and the counts by status."""

import html
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Body

from ..models import Assignment, ProgressReport, ReportingPeriod, ReportState
from ..permissions import Action, assignment_policy, report_policy
from ..reporting import REPORTING_COLUMNS, ReportingStatus, owing_filter, statuses_counted_as
from ..selectors import task_group_expression  # noqa: F401 (re-exported for the pages)
from ..status import FOUR_WAY, SEVERITY, Status, status_expression

SENT_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)

# The role filter's value for "every role that carries out the task": the rows counted as work.
REPORTING = "reporting"


class ReportFilter:
    """How an assignment stands for a chosen period (the list's "period reported or not")."""

    NOT_SUBMITTED = "not_submitted"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    SENT = "sent"

    choices = [
        (NOT_SUBMITTED, _("Not submitted")),
        (SUBMITTED, _("Submitted, awaiting review")),
        (ACCEPTED, _("Accepted")),
        (SENT, _("Submitted or accepted")),
    ]


class Sort:
    TASK = "task"
    DEADLINE = "deadline"
    BODY = "body"
    STATUS = "status"

    choices = [
        (TASK, _("Task order")),
        (DEADLINE, _("Deadline")),
        (BODY, _("Body")),
        (STATUS, _("Status, worst first")),
    ]


# Querysets through the policy.


def visible_assignments(user) -> QuerySet[Assignment]:
    return assignment_policy.instances_user_has_permission_for(user, Action.VIEW)


def visible_reports(user) -> QuerySet[ProgressReport]:
    return report_policy.instances_user_has_permission_for(user)


def work(user) -> QuerySet[Assignment]:
    """The visible assignments that count as work: reporting roles, not cancelled."""
    return visible_assignments(user).reporting().filter(cancelled_on__isnull=True)


def with_status(queryset: QuerySet[Assignment], *, today: date) -> QuerySet[Assignment]:
    return queryset.annotate(
        status=status_expression(today=today),
        effective_deadline_on=Coalesce("extended_deadline", "deadline"),
    )


def status_rank() -> Case:
    return Case(
        *(When(status=status.value, then=Value(rank)) for rank, status in enumerate(SEVERITY)),
        output_field=IntegerField(),
    )


def sent_report_for(period_id) -> QuerySet[ProgressReport]:
    """The sent report for the period of the outer assignment. Use it only under a queryset of
    visible assignments: a sent report is visible to whoever sees its assignment (the report
    policy), so no second visibility filter is needed, and without one the planner answers
    with an index lookup per assignment instead of scanning every visible report."""
    return ProgressReport.objects.filter(
        assignment=OuterRef("pk"), period_id=period_id, state__in=SENT_STATES
    )


def expected_for_period(
    queryset: QuerySet[Assignment], *, user, period: ReportingPeriod
) -> QuerySet[Assignment]:
    """The assignments of `queryset` owing a report for the period (tasks.reporting's one
    definition), annotated with the state and id of the report the user may see for it (a
    body's own draft included, no one else's)."""
    report = visible_reports(user).filter(assignment=OuterRef("pk"), period=period)
    return queryset.filter(owing_filter(period)).annotate(
        period_report_state=Subquery(report.values("state")[:1]),
        period_report_id=Subquery(report.values("pk")[:1]),
    )


@lru_cache(maxsize=16)
def _assignment_list_path(script_prefix: str) -> str:
    # The overview makes thousands of links to one path; reversing it each time was a third of
    # the page's time. Keyed by the script prefix, the only thing the path depends on.
    return reverse("assignment_list")


@lru_cache(maxsize=4096)
def _reversed(script_prefix: str, name: str, args: tuple) -> str:
    return reverse(name, args=args)


def detail_url(name: str, *args) -> str:
    """reverse(name, args=args), kept: the overview links the same few hundred task groups and
    bodies on every page, and reversing each was a tenth of its time. Keyed by the script
    prefix, as the list's path is."""
    return _reversed(get_script_prefix(), name, args)


def list_url(**params) -> str:
    """The assignment list filtered by `params`, as a link."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "", [])}, doseq=True)
    path = _assignment_list_path(get_script_prefix())
    return path + (f"?{query}" if query else "")


@lru_cache(maxsize=64)
def _path_parts(script_prefix: str, name: str) -> tuple[str, str]:
    marker = "987654321"
    head, tail = reverse(name, args=[marker]).split(marker)
    return head, tail


def detail_path(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a page whose path holds one id, from the path's two halves
    reversed once: a table of hundreds of rows links each to its page without reversing each
    link (a fifth of the agency home's rendering)."""
    head, tail = _path_parts(get_script_prefix(), name)
    return f"{head}{pk}{tail}"


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=1024)
def _link_parts(script_prefix: str, head: tuple, row_key: str, tail: tuple) -> tuple[str, str]:
    """list_url(**head, row_key=<value>, **tail) split around the value: what every row of
    one column of a counts table shares."""
    marker = "0"
    url = list_url(**dict(head), **{row_key: marker}, **dict(tail))
    at = url.index(f"{row_key}={marker}") + len(row_key) + 1
    return url[:at], url[at + len(marker) :]


def row_list_url(params: dict, **column) -> str:
    """list_url(**params, **column), built from the column's prefix and suffix and the row's
    own value (the last of `params`, a body's or a task group's id): a table of hundreds of
    rows encodes each column's query once, not once per cell."""
    if not params:
        return list_url(**column)
    *head, (row_key, value) = params.items()
    if not isinstance(value, int) or row_key in column:
        return list_url(**params, **column)
    prefix, suffix = _link_parts(
        get_script_prefix(),
        tuple((k, _frozen(v)) for k, v in head),
        row_key,
        tuple((k, _frozen(v)) for k, v in column.items()),
    )
    return f"{prefix}{value}{suffix}"


def with_days(assignments, *, today: date):
    """Days left, and days late once the deadline has passed, on each unfinished row that has
    a deadline (None otherwise); no query."""
    for assignment in assignments:
        deadline = assignment.effective_deadline_on
        if deadline is None or assignment.completed_on is not None:
            assignment.days_left = assignment.days_late = None
        else:
            assignment.days_left = (deadline - today).days
            assignment.days_late = max(0, -assignment.days_left)
    return assignments


# Status counts.

# The four-way classification plus ongoing duties, in the order the overview shows them.
COUNT_COLUMNS: list[Status] = list(dict.fromkeys(FOUR_WAY.values()))


def statuses_of(column: Status) -> list[str]:
    return [status.value for status, folded in FOUR_WAY.items() if folded == column]


# Each column with the statuses it counts, worked out once.
COUNT_COLUMN_STATUSES = [(column, statuses_of(column)) for column in COUNT_COLUMNS]
REPORTING_COLUMN_STATUSES = [(column, statuses_counted_as(column)) for column in REPORTING_COLUMNS]


@dataclass(frozen=True)
class CountCell:
    status: str
    label: str
    count: int
    url: str

    @property
    def link(self) -> str:
        """The count as a link to its rows, as a template would write it: a table by body or
        task group has thousands, and each through the template language was most of the
        compliance overview's time."""
        return mark_safe(
            f'<a href="{html.escape(self.url)}" data-count="{html.escape(self.status)}">'
            f"{number_text(self.count)}</a>"
        )


def number_text(number: int) -> str:
    """`{{ number }}` in a template: digits, grouped only if the settings group thousands."""
    return localize(number) if settings.USE_THOUSAND_SEPARATOR else str(number)


# What a table of counts shows of each line is computed once, when first shown, and again
# only after a count is added.
SHOWN = ("cells", "due_soon", "total")


@dataclass
class StatusCounts:
    """Counts of assignments by status; each links to the list of exactly those rows."""

    params: dict
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, status: str, count: int) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + count
        for name in SHOWN:
            self.__dict__.pop(name, None)

    @cached_property
    def cells(self) -> list[CountCell]:
        return [
            CountCell(
                column.value,
                column.label,
                sum(self.by_status.get(s, 0) for s in statuses),
                row_list_url(self.params, status=statuses),
            )
            for column, statuses in COUNT_COLUMN_STATUSES
        ]

    @cached_property
    def due_soon(self) -> CountCell:
        return CountCell(
            Status.DUE_SOON.value,
            Status.DUE_SOON.label,
            self.by_status.get(Status.DUE_SOON, 0),
            row_list_url(self.params, status=[Status.DUE_SOON.value]),
        )

    @cached_property
    def total(self) -> CountCell:
        return CountCell(
            "total", _("Total"), sum(self.by_status.values()), row_list_url(self.params)
        )


@dataclass
class ReportingCounts:
    """Counts of the assignments owing a report for one period by reporting status
    (tasks.reporting); each links to the list of exactly those rows. `params` name the period."""

    params: dict
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, status: str, count: int) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + count
        for name in SHOWN:
            self.__dict__.pop(name, None)

    @cached_property
    def cells(self) -> list[CountCell]:
        return [
            CountCell(
                f"reporting_{column.value}",
                column.label,
                sum(self.by_status.get(s, 0) for s in statuses),
                row_list_url(self.params, reporting=statuses),
            )
            for column, statuses in REPORTING_COLUMN_STATUSES
        ]

    @property
    def overdue(self) -> CountCell:
        return next(c for c in self.cells if c.status == f"reporting_{ReportingStatus.OVERDUE}")

    @cached_property
    def total(self) -> CountCell:
        return CountCell(
            "reporting_total", _("Total"), sum(self.by_status.values()), row_list_url(self.params)
        )


# A line's full name is cut to this many characters for its title attribute.
TOOLTIP_LENGTH = 200


@lru_cache(maxsize=4096)
def _tooltip(text: str, language: str | None) -> str:
    return Truncator(text).chars(TOOLTIP_LENGTH)


def tooltip(text: str) -> str:
    """`text` cut as the truncatechars filter cuts it (the ellipsis is translated): the
    overview cuts the same few hundred names in two tables each time, so they are kept."""
    return _tooltip(text, get_language())


@dataclass(frozen=True)
class CountRow:
    """One line of a counts table: a task group or a body."""

    label: str
    title: str
    url: str
    counts: StatusCounts

    @property
    def tooltip(self) -> str:
        return tooltip(self.title)


def counts_by(queryset: QuerySet[Assignment], key: str) -> dict:
    """{key value: {status: count}} in one query."""
    result: dict = defaultdict(dict)
    for row in queryset.values(key, "status").annotate(n=Count("id")).order_by():
        result[row[key]][row["status"]] = row["n"]
    return result


def bodies_by_id(ids) -> dict[int, Body]:
    return {body.pk: body for body in Body.objects.filter(pk__in=list(ids))}


def period_list_all() -> list[ReportingPeriod]:
    """Every reporting period, by programme and due date, in one query."""
    return list(ReportingPeriod.objects.select_related("programme").order_by("programme", "due_on"))
