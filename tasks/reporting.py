"""Reporting compliance per period: the second dimension of status.

The four-way status (tasks.status) judges completion against a deadline, and judges nothing
for a recurring duty, which most of the programme is. So every assignment that owes a report
for a period also gets a reporting status for that period:

- sent on time (gửi đúng hạn): first sent on or before the period's due date;
- sent late (gửi trễ hạn): first sent after it;
- not yet due (chưa đến hạn): not sent, due date ahead ("due soon", sắp đến hạn gửi, within
  DUE_SOON_DAYS, as for deadlines);
- overdue (quá hạn gửi): not sent, due date passed.

"Sent" means submitted at least once: a returned report counts from its first submission
(`first_submitted_at`, or `submitted_at` on rows written in bulk), and a draft is not sent.
Whether the Party Office accepted it is the report's state, shown beside the status. Since
only sent reports are read, and a sent report is visible to whoever sees its assignment,
nothing here depends on who is asking.

Which assignments owe a report for a period is decided once, by `owing_filter` (and `owes`,
its twin for rows already read). As in tasks.status, the rules exist twice on purpose: in
Python for one pair of dates, and as a SQL expression for counting thousands; tests hold them
to the same table of dated cases.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Assignment, ProgressReport, ReportingPeriod, ReportState
from .selectors import task_group_expression


class ReportingStatus(models.TextChoices):
    SENT_ON_TIME = "sent_on_time", _("Sent on time")
    SENT_LATE = "sent_late", _("Sent late")
    NOT_DUE = "not_due", _("Not yet due")
    DUE_SOON = "due_soon", _("Report due soon")
    OVERDUE = "overdue", _("Report overdue")


# Counting folds "due soon" into "not yet due", as FOUR_WAY folds it into "in progress".
COUNTED = {
    ReportingStatus.SENT_ON_TIME: ReportingStatus.SENT_ON_TIME,
    ReportingStatus.SENT_LATE: ReportingStatus.SENT_LATE,
    ReportingStatus.NOT_DUE: ReportingStatus.NOT_DUE,
    ReportingStatus.DUE_SOON: ReportingStatus.NOT_DUE,
    ReportingStatus.OVERDUE: ReportingStatus.OVERDUE,
}

# The columns of a count, in the order the pages show them.
REPORTING_COLUMNS: list[ReportingStatus] = list(dict.fromkeys(COUNTED.values()))

# Report states that mean the report has been sent at least once.
SENT_AT_LEAST_ONCE = (ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED)


def statuses_counted_as(column: ReportingStatus) -> list[str]:
    """The statuses a count column holds (NOT_DUE holds DUE_SOON too)."""
    return [status.value for status, folded in COUNTED.items() if folded == column]


def due_soon_days() -> int:
    return settings.DUE_SOON_DAYS


def local_date(moment: datetime | date) -> date:
    """The day a submission was made, in the province's time zone (whatever the request's)."""
    if isinstance(moment, datetime):
        return timezone.localtime(moment, timezone.get_default_timezone()).date()
    return moment


def reporting_status(
    *,
    first_sent_at: datetime | date | None,
    due_on: date,
    today: date,
    soon_days: int | None = None,
) -> ReportingStatus:
    """The reporting status of one assignment for one period, from the time its report was
    first sent (None: not sent, or only a draft)."""
    soon_days = due_soon_days() if soon_days is None else soon_days
    if first_sent_at is not None:
        if local_date(first_sent_at) <= due_on:
            return ReportingStatus.SENT_ON_TIME
        return ReportingStatus.SENT_LATE
    if today > due_on:
        return ReportingStatus.OVERDUE
    if (due_on - today).days <= soon_days:
        return ReportingStatus.DUE_SOON
    return ReportingStatus.NOT_DUE


def days_late(*, first_sent_at: datetime | date | None, due_on: date, today: date) -> int:
    """Days past the due date: when the report was first sent, or today if it was not; 0 when
    it is not late."""
    day = local_date(first_sent_at) if first_sent_at is not None else today
    return max(0, (day - due_on).days)


def first_sent_at_of(report: ProgressReport | None) -> datetime | None:
    """When the report was first sent; None for no report or a draft."""
    if report is None or report.state not in SENT_AT_LEAST_ONCE:
        return None
    return report.first_submitted_at or report.submitted_at


def report_reporting_status(report: ProgressReport, *, today: date) -> tuple[ReportingStatus, int]:
    """A report's status for its period and its days late (needs `report.period`)."""
    sent = first_sent_at_of(report)
    due_on = report.period.due_on
    return (
        reporting_status(first_sent_at=sent, due_on=due_on, today=today),
        days_late(first_sent_at=sent, due_on=due_on, today=today),
    )


def _end_of_day(day: date) -> datetime:
    """The first instant after `day` in the province's time zone: a submission before it was
    made on or before `day`."""
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1), time.min), timezone.get_default_timezone()
    )


def reporting_status_expression(
    *, due_on: date, today: date, soon_days: int | None = None, first_sent_at: str = "first_sent_at"
) -> Case:
    """The same rules as reporting_status, as an expression over a queryset annotated with
    `first_sent_at` (a datetime, NULL when not sent). The local date is compared through the
    first instant after the due day, so no time-zone arithmetic runs in the database."""
    soon_days = due_soon_days() if soon_days is None else soon_days
    not_sent = Q(**{f"{first_sent_at}__isnull": True})
    if today > due_on:
        unsent = ReportingStatus.OVERDUE
    elif (due_on - today).days <= soon_days:
        unsent = ReportingStatus.DUE_SOON
    else:
        unsent = ReportingStatus.NOT_DUE
    return Case(
        When(not_sent, then=Value(unsent.value)),
        When(
            **{f"{first_sent_at}__lt": _end_of_day(due_on)},
            then=Value(ReportingStatus.SENT_ON_TIME.value),
        ),
        default=Value(ReportingStatus.SENT_LATE.value),
        output_field=models.CharField(),
    )


def owing_filter(period: ReportingPeriod, prefix: str = "") -> Q:
    """The one definition of which assignments owe a report for the period: the reporting
    assignments of its programme that are live during it, i.e. not cancelled before the
    period's end, in force by the due date (the assignment's own start, for a part delegated
    later or work carried on by a successor, and its body's), and not completed before the
    period began. `prefix` reaches assignments through a relation ("assignment__")."""

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    return (
        q(item__programme_id=period.programme_id, role__in=Assignment.REPORTING_ROLES)
        & (q(cancelled_on__isnull=True) | q(cancelled_on__gte=period.ends_on))
        & (q(body__valid_from__isnull=True) | q(body__valid_from__lte=period.due_on))
        & (q(starts_on__isnull=True) | q(starts_on__lte=period.due_on))
        & (q(completed_on__isnull=True) | q(completed_on__gte=period.starts_on))
    )


def owes(assignment: Assignment, period: ReportingPeriod) -> bool:
    """`owing_filter`'s rule for one assignment already read, with its item and body: for a
    page that lists the assignments anyway and would otherwise ask again, per period, which
    of them owe a report."""
    body = assignment.body
    return (
        assignment.item.programme_id == period.programme_id
        and assignment.role in Assignment.REPORTING_ROLES
        and (assignment.cancelled_on is None or assignment.cancelled_on >= period.ends_on)
        and (body.valid_from is None or body.valid_from <= period.due_on)
        and (assignment.starts_on is None or assignment.starts_on <= period.due_on)
        and (assignment.completed_on is None or assignment.completed_on >= period.starts_on)
    )


def owing_assignments(
    period: ReportingPeriod,
    *,
    today: date,
    assignments: QuerySet[Assignment] | None = None,
    soon_days: int | None = None,
) -> QuerySet[Assignment]:
    """The assignments (of `assignments`, by default all) that owe a report for the period,
    each annotated with `reporting_status`, and with the sent report if there is one:
    `report_id`, `report_state` (submitted, returned or accepted; NULL for no report or a
    draft) and `first_sent_at`. One query however it is then filtered or counted."""
    queryset = Assignment.objects.all() if assignments is None else assignments
    return (
        queryset.filter(owing_filter(period))
        .alias(
            # At most one report per assignment and period (a unique constraint), so the join
            # adds no row.
            sent_report=FilteredRelation(
                "reports",
                condition=Q(reports__period_id=period.pk, reports__state__in=SENT_AT_LEAST_ONCE),
            )
        )
        .annotate(
            report_id=F("sent_report__id"),
            report_state=F("sent_report__state"),
            first_sent_at=Coalesce("sent_report__first_submitted_at", "sent_report__submitted_at"),
        )
        .annotate(
            reporting_status=reporting_status_expression(
                due_on=period.due_on, today=today, soon_days=soon_days
            )
        )
    )


def reports_with_reporting_status(
    reports: QuerySet[ProgressReport],
    periods: Iterable[ReportingPeriod],
    *,
    today: date,
) -> QuerySet[ProgressReport]:
    """The reports annotated with `first_sent_at` (NULL for a draft that was never sent) and
    `reporting_status` for their own period: the same rule as `reporting_status_expression`,
    one branch per period (`periods` must hold every period of the reports)."""
    queryset = reports.annotate(
        first_sent_at=Case(
            When(
                state__in=SENT_AT_LEAST_ONCE,
                then=Coalesce("first_submitted_at", "submitted_at"),
            ),
            default=None,
        )
    )
    branches = [
        When(
            period_id=period.pk, then=reporting_status_expression(due_on=period.due_on, today=today)
        )
        for period in periods
    ]
    if not branches:
        return queryset.annotate(reporting_status=Value("", output_field=models.CharField()))
    return queryset.annotate(
        reporting_status=Case(*branches, default=Value(""), output_field=models.CharField())
    )


@dataclass(frozen=True)
class Owed:
    """One report owed: an assignment's reporting status for one period, with its sent report
    if there is one."""

    period_id: int
    assignment_id: int
    reporting_status: ReportingStatus
    report_id: int | None
    report_state: str | None
    first_sent_at: datetime | None


def owed_in_periods(
    periods: Iterable[ReportingPeriod],
    *,
    today: date,
    assignments: QuerySet[Assignment] | None = None,
) -> list[Owed]:
    """What `assignments` owe for each of the periods, in one query however many periods (a
    union of owing_assignments, one branch per period)."""
    branches = [
        owing_assignments(period, today=today, assignments=assignments)
        .annotate(owed_period=Value(period.pk, output_field=models.BigIntegerField()))
        .order_by()
        .values_list(
            "owed_period",
            "pk",
            "reporting_status",
            "report_id",
            "report_state",
            "first_sent_at",
        )
        for period in periods
    ]
    if not branches:
        return []
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    return [
        Owed(period_id, assignment_id, ReportingStatus(status), report_id, state, sent)
        for period_id, assignment_id, status, report_id, state, sent in rows
    ]


def reporting_counts_by(
    period: ReportingPeriod,
    *,
    today: date,
    key: str | None = None,
    assignments: QuerySet[Assignment] | None = None,
) -> dict:
    """{key value: {reporting status: count}} for the period, in one query; without a key,
    {reporting status: count} overall. Counts are by status, unfolded: fold with COUNTED."""
    owing = owing_assignments(period, today=today, assignments=assignments)
    if key is None:
        return {
            row["reporting_status"]: row["n"]
            for row in owing.values("reporting_status").annotate(n=Count("id")).order_by()
        }
    result: dict = defaultdict(dict)
    for row in owing.values(key, "reporting_status").annotate(n=Count("id")).order_by():
        result[row[key]][row["reporting_status"]] = row["n"]
    return result


def reporting_counts_in_periods(
    periods: Iterable[ReportingPeriod],
    *,
    today: date,
    assignments: QuerySet[Assignment] | None = None,
) -> dict[int, dict[tuple[str, str | None], int]]:
    """{period id: {(reporting status, sent report's state or None): count}} for each of the
    periods, in one query however many (a union of grouped owing_assignments)."""
    branches = [
        owing_assignments(period, today=today, assignments=assignments)
        .annotate(owed_period=Value(period.pk, output_field=models.BigIntegerField()))
        .values("owed_period", "reporting_status", "report_state")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("owed_period", "reporting_status", "report_state", "n")
        for period in periods
    ]
    if not branches:
        return {}
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    result: dict = defaultdict(dict)
    for period_id, status, state, n in rows:
        key = (status, state)
        result[period_id][key] = result[period_id].get(key, 0) + n
    return result


def reporting_counts_by_body(
    period: ReportingPeriod, *, today: date, assignments: QuerySet[Assignment] | None = None
) -> dict[int, dict[str, int]]:
    """{body id: {reporting status: count}} for the period; one query."""
    return reporting_counts_by(period, today=today, key="body_id", assignments=assignments)


def reporting_counts_by_group(
    period: ReportingPeriod, *, today: date, assignments: QuerySet[Assignment] | None = None
) -> dict[int | None, dict[str, int]]:
    """{task group id (III.1 … III.10): {reporting status: count}} for the period; one query."""
    owing = owing_assignments(period, today=today, assignments=assignments).annotate(
        task_group=task_group_expression()
    )
    result: dict = defaultdict(dict)
    for row in owing.values("task_group", "reporting_status").annotate(n=Count("id")).order_by():
        result[row["task_group"]][row["reporting_status"]] = row["n"]
    return result


def folded(counts: dict[str, int]) -> dict[ReportingStatus, int]:
    """Counts by status folded into the count columns (due soon into not yet due)."""
    result = {column: 0 for column in REPORTING_COLUMNS}
    for status, n in counts.items():
        result[COUNTED[ReportingStatus(status)]] += n
    return result


def default_period(periods: Iterable[ReportingPeriod], *, today: date) -> ReportingPeriod | None:
    """The period a page shows unless told otherwise: the latest whose due date has passed,
    or else the open period due first, or else none."""
    periods = list(periods)
    past = [p for p in periods if p.due_on < today]
    if past:
        return max(past, key=lambda p: (p.due_on, p.pk))
    open_ = [p for p in periods if p.state == ReportingPeriod.State.OPEN]
    if open_:
        return min(open_, key=lambda p: (p.due_on, p.pk))
    return None
