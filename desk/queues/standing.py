"""The Standing Committee member's view: the state of the programme at a glance."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, F, IntegerField, Q, TextField, Value, When
from django.utils.translation import gettext_lazy as _

from indicators.assessment import SEVERITY as VERDICT_SEVERITY
from indicators.assessment import VERDICT_LABELS, Spec, assess
from indicators.models import FigureState, IndustrialArea, YearlyFigure
from indicators.selectors import (
    AreaFigure,
    IndicatorRow,
    occupancy_table,
    programme_targets,
    programme_years,
)
from programme.models import Item, Programme, Target
from reports.charts import status_bars
from reports.models import GeneratedReport, GeneratedReportKind, GeneratedReportState
from reports.permissions import generated_report_policy
from reports.tables import CountsRow
from tasks.dashboards.base import REPORTING, StatusCounts, with_status, work
from tasks.models import ReportingPeriod
from tasks.reporting import (
    REPORTING_COLUMNS,
    default_period,
    folded,
    owing_assignments,
    statuses_counted_as,
)
from tasks.status import FOUR_WAY

from ..charts import labelled, share_bar
from .common import OverdueWork, overdue_work, reporting_list_url

# The generated status reports listed, newest first; the rest are on the reports page.
REPORTS_LIMIT = 5
MOST_OVERDUE = 10


@dataclass(frozen=True)
class ReportingCell:
    status: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class VerdictCount:
    verdict: str
    label: str
    count: int


@dataclass
class StandingView:
    programme: Programme | None
    counts: StatusCounts
    chart: str
    period: ReportingPeriod | None
    reporting: list[ReportingCell]
    reporting_chart: str
    indicators: list[IndicatorRow]
    overdue: OverdueWork
    reports: list[GeneratedReport]

    @property
    def reporting_total(self) -> int:
        return sum(cell.count for cell in self.reporting)

    @property
    def verdicts(self) -> list[VerdictCount]:
        counts = Counter(row.assessment.verdict for row in self.indicators)
        return [
            VerdictCount(verdict, str(VERDICT_LABELS[verdict]), counts.get(verdict, 0))
            for verdict in sorted(VERDICT_LABELS, key=VERDICT_SEVERITY.get)
        ]


def _of_group(field: str, output_field):
    """A field of the numbered heading (III.1 … III.10) a task sits under, as
    tasks.selectors.task_group_expression finds it: a bullet's parent, a sub-item's
    grandparent."""
    return Case(
        When(item__parent__kind=Item.Kind.GROUP, then=F(f"item__parent__{field}")),
        When(item__parent__parent__kind=Item.Kind.GROUP, then=F(f"item__parent__parent__{field}")),
        default=None,
        output_field=output_field,
    )


GROUP_COLUMNS = ("group_programme", "group_sequence", "group_key", "group_text")


@dataclass
class ProgrammeCounts:
    """The four-way counts of every assignment at work, by task group, and the reporting
    counts of one period."""

    by_group: dict[tuple, dict[str, int]]
    reporting: dict[str, int]


def programme_counts(user, *, today: date, period: ReportingPeriod | None) -> ProgrammeCounts:
    """One query, a union of two grouped selects: the user's work by task group and status
    (the compliance overview's counts), and the assignments owing a report for the period by
    reporting status (tasks.reporting's own selector)."""
    by_status = (
        with_status(work(user), today=today)
        .annotate(
            group_programme=F("item__programme_id"),
            group_sequence=_of_group("sequence", IntegerField()),
            group_key=_of_group("key", CharField()),
            group_text=_of_group("text", TextField()),
        )
        .values(*GROUP_COLUMNS, "status")
        .annotate(n=Count("id"), part=Value("status"))
        .order_by()
    )
    query = by_status
    if period is not None:
        by_reporting = (
            owing_assignments(period, today=today, assignments=work(user))
            .annotate(
                group_programme=Value(None, output_field=IntegerField()),
                group_sequence=Value(None, output_field=IntegerField()),
                group_key=Value(None, output_field=CharField()),
                group_text=Value(None, output_field=TextField()),
            )
            .values(*GROUP_COLUMNS, "reporting_status")
            .annotate(n=Count("id"), part=Value("reporting"))
            .order_by()
        )
        query = by_status.union(by_reporting, all=True)
    counts = ProgrammeCounts(defaultdict(dict), {})
    for row in query:
        if row["part"] == "reporting":
            counts.reporting[row["status"]] = row["n"]
        else:
            group = tuple(row[column] for column in GROUP_COLUMNS)
            counts.by_group[group][row["status"]] = row["n"]
    return counts


def indicator_verdicts(programme: Programme) -> list[IndicatorRow]:
    """Every indicator of the programme with its accepted values and its verdict, as
    indicators.selectors.indicator_rows gives them, in three queries rather than four: the
    accepted figures of indicators and of areas are read together."""
    targets = list(programme_targets(programme))
    areas = list(IndustrialArea.objects.select_related("responsible_body"))
    actuals: dict[int, dict] = defaultdict(dict)
    area_figures = []
    figures = YearlyFigure.objects.filter(state=FigureState.ACCEPTED).filter(
        Q(target__programme=programme) | Q(industrial_area__isnull=False)
    )
    for target_id, area_id, year, value in figures.values_list(
        "target_id", "industrial_area_id", "year", "value"
    ):
        if target_id is not None:
            actuals[target_id][year] = value
        else:
            area_figures.append(AreaFigure(area_id, year, value))
    occupancy = occupancy_table(
        areas=areas, figures=area_figures, leasable={a.pk: a.leasable_area_ha for a in areas}
    )
    first_year = programme_years(programme)[0]
    rows = []
    for target in targets:
        if target.values_from == Target.ValuesFrom.INDUSTRIAL_AREAS:
            values = dict(occupancy.average)
        else:
            values = actuals.get(target.pk, {})
        spec = Spec.of(target, first_year=first_year)
        rows.append(IndicatorRow(target, spec, values, assess(spec, values)))
    return rows


def standing_view(*, user, today: date, periods: list[ReportingPeriod]) -> StandingView:
    """Six queries beyond the periods: the four-way and reporting counts (one union), the
    indicators (three), the most overdue and the latest status reports. `periods` are every
    period, with their programmes; the period shown is the latest whose reports were due
    (tasks.reporting.default_period), as the compliance overview chooses it."""
    period = default_period(periods, today=today)
    programme = period.programme if period else None
    counted = programme_counts(user, today=today, period=period)

    counts = StatusCounts({"role": REPORTING})
    rows = []
    several = len({group[0] for group in counted.by_group if group[1] is not None}) > 1
    for group in sorted(counted.by_group, key=lambda g: (g[0] or 0, g[1] or 0)):
        statuses = counted.by_group[group]
        for status, n in statuses.items():
            counts.add(status, n)
        _programme, sequence, key, text = group
        if sequence is None:
            continue  # work outside the numbered task groups counts, but has no bar
        label = f"{_programme}:{key}" if several else key
        rows.append(CountsRow(label, text, Counter({FOUR_WAY[s]: n for s, n in statuses.items()})))

    reporting: list[ReportingCell] = []
    if period is not None:
        by_column = folded(counted.reporting)
        reporting = [
            ReportingCell(
                column.value,
                column.label,
                by_column[column],
                reporting_list_url(period, statuses_counted_as(column)),
            )
            for column in REPORTING_COLUMNS
        ]

    reports = list(
        generated_report_policy.instances_user_has_permission_for(user)
        .filter(kind=GeneratedReportKind.STANDING_COMMITTEE, state=GeneratedReportState.DONE)
        .select_related("programme", "period")
        .order_by("-finished_at", "-pk")[:REPORTS_LIMIT]
    )
    return StandingView(
        programme=programme,
        counts=counts,
        chart=labelled(status_bars(rows), _("Each task group's assignments by status")),
        period=period,
        reporting=reporting,
        reporting_chart=share_bar(
            [(cell.status, str(cell.label), cell.count) for cell in reporting],
            title=_("Reports owed for the period, by reporting status"),
        ),
        indicators=indicator_verdicts(programme) if programme else [],
        overdue=overdue_work(user, today=today, limit=MOST_OVERDUE),
        reports=reports,
    )
