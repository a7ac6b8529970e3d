"""The reporting period pages' counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from accounts.models import Body

from ..models import ReportingPeriod, ReportState
from ..permissions import Action, assignment_policy
from ..reporting import reporting_counts_in_periods
from .access import may_use_compliance
from .base import (
    ReportFilter,
    bodies_by_id,
    expected_for_period,
    list_url,
    period_list_all,
    work,
)


@dataclass(frozen=True)
class PeriodCounts:
    expected: int
    submitted: int
    accepted: int

    @property
    def not_submitted(self) -> int:
        return self.expected - self.submitted - self.accepted


@dataclass(frozen=True)
class PeriodRow:
    period: ReportingPeriod
    counts: PeriodCounts | None


def may_see_period_counts(user) -> bool:
    return assignment_policy.user_holds_any(user, Action.VIEW)


def period_rows(*, user, today: date) -> list[PeriodRow]:
    """Every period with, for those who see some assignment, the reports it expects (by
    tasks.reporting's one definition) and has received among what the user may see. Two
    queries."""
    periods = period_list_all()
    if not may_see_period_counts(user):
        return [PeriodRow(period, None) for period in periods]
    counts = reporting_counts_in_periods(periods, today=today, assignments=work(user))
    rows = []
    for period in periods:
        got = counts.get(period.pk, {})
        rows.append(
            PeriodRow(
                period,
                PeriodCounts(
                    expected=sum(got.values()),
                    submitted=sum(n for (_, s), n in got.items() if s == ReportState.SUBMITTED),
                    accepted=sum(n for (_, s), n in got.items() if s == ReportState.ACCEPTED),
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class PeriodCell:
    count: int
    url: str


@dataclass(frozen=True)
class PeriodLine:
    """Expected, not submitted, submitted and accepted reports of one body (or of all the
    user sees), each linking to the list of those assignments."""

    body: Body | None
    expected: PeriodCell
    not_submitted: PeriodCell
    submitted: PeriodCell
    accepted: PeriodCell


@dataclass
class PeriodPage:
    period: ReportingPeriod
    summary: PeriodLine | None
    by_body: list[PeriodLine] | None


def _period_line(period, body, counts: PeriodCounts) -> PeriodLine:
    body_id = body.pk if body is not None else None

    def cell(count, report=""):
        return PeriodCell(count, list_url(period=period.pk, body=body_id, report=report))

    return PeriodLine(
        body=body,
        expected=cell(counts.expected),
        not_submitted=cell(counts.not_submitted, ReportFilter.NOT_SUBMITTED),
        submitted=cell(counts.submitted, ReportFilter.SUBMITTED),
        accepted=cell(counts.accepted, ReportFilter.ACCEPTED),
    )


def period_page(*, user, period: ReportingPeriod) -> PeriodPage:
    """The period's reports by body, among what the user may see; the table by body only for
    those who see every body. Two queries."""
    if not may_see_period_counts(user):
        return PeriodPage(period, None, None)
    rows = list(
        expected_for_period(work(user), user=user, period=period)
        .values("body_id")
        .annotate(
            expected=Count("id"),
            submitted=Count("id", filter=Q(period_report_state=ReportState.SUBMITTED)),
            accepted=Count("id", filter=Q(period_report_state=ReportState.ACCEPTED)),
        )
        .order_by()
    )
    total = PeriodCounts(
        expected=sum(r["expected"] for r in rows),
        submitted=sum(r["submitted"] for r in rows),
        accepted=sum(r["accepted"] for r in rows),
    )
    summary = _period_line(period, None, total)
    if not may_use_compliance(user):
        return PeriodPage(period, summary, None)
    bodies = bodies_by_id(r["body_id"] for r in rows)
    by_body = [
        _period_line(
            period,
            bodies[r["body_id"]],
            PeriodCounts(r["expected"], r["submitted"], r["accepted"]),
        )
        for r in sorted(
            rows, key=lambda r: (bodies[r["body_id"]].position, bodies[r["body_id"]].name)
        )
    ]
    return PeriodPage(period, summary, by_body)
