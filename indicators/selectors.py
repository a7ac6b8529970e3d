"""Reads for the indicator pages and the Standing Committee report, each in a fixed number of
queries whatever the number of indicators, areas and years."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from config.history import latest_rows
from programme.models import Programme, Target

from .assessment import Assessment, Spec, area_occupancy, assess, average_occupancy
from .models import ExplanationRequest, FigureState, IndustrialArea, YearlyFigure


def programme_years(programme: Programme) -> tuple[int, int]:
    """The years the programme runs: from the year it was issued (the resolution's year when
    the issue date is not recorded) to its horizon year."""
    first = programme.issued_on.year if programme.issued_on else programme.resolution_date.year
    last = programme.horizon_year or first
    return first, max(first, last)


@dataclass(frozen=True)
class AreaFigure:
    """An accepted figure of an area, as plain numbers."""

    industrial_area_id: int
    year: int
    value: Decimal


@dataclass
class AreaRow:
    area: IndustrialArea
    leasable_area_ha: Decimal | None
    occupied: dict[int, Decimal] = field(default_factory=dict)
    rates: dict[int, Decimal | None] = field(default_factory=dict)

    def cells(self, years: list[int]) -> list[tuple[Decimal | None, Decimal | None]]:
        return [(self.occupied.get(y), self.rates.get(y)) for y in years]


@dataclass
class OccupancyTable:
    """Occupancy per zone and cluster per year, and the average across them."""

    rows: list[AreaRow]
    years: list[int]
    average: dict[int, Decimal] = field(default_factory=dict)
    counted: dict[int, int] = field(default_factory=dict)

    @property
    def average_cells(self) -> list[tuple[Decimal | None, int]]:
        return [(self.average.get(y), self.counted.get(y, 0)) for y in self.years]


def occupancy_table(
    *, areas: list[IndustrialArea], figures: list[AreaFigure], leasable: dict[int, Decimal | None]
) -> OccupancyTable:
    """Each area's occupancy in each year it has an accepted figure, and the plain average
    across the areas that have a rate that year. Pure: no query."""
    rows = {area.pk: AreaRow(area, leasable.get(area.pk)) for area in areas}
    for figure in figures:
        row = rows.get(figure.industrial_area_id)
        if row is None:
            continue
        row.occupied[figure.year] = figure.value
        row.rates[figure.year] = area_occupancy(figure.value, row.leasable_area_ha)
    years = sorted({f.year for f in figures})
    table = OccupancyTable(rows=list(rows.values()), years=years)
    for year in years:
        rates = [row.rates.get(year) for row in table.rows]
        average = average_occupancy(rates)
        if average is not None:
            table.average[year] = average
            table.counted[year] = sum(1 for rate in rates if rate is not None)
    return table


def current_occupancy() -> OccupancyTable:
    """The register with the accepted figures as they are now: two queries."""
    areas = list(IndustrialArea.objects.select_related("responsible_body"))
    figures = [
        AreaFigure(*row)
        for row in YearlyFigure.objects.filter(
            industrial_area__isnull=False, state=FigureState.ACCEPTED
        ).values_list("industrial_area_id", "year", "value")
    ]
    return occupancy_table(
        areas=areas, figures=figures, leasable={a.pk: a.leasable_area_ha for a in areas}
    )


@dataclass
class IndicatorRow:
    target: Target
    spec: Spec
    actuals: dict[int, Decimal]
    assessment: Assessment


def _rows(
    targets: list[Target], first_year: int, actuals: dict[int, dict[int, Decimal]], occupancy
) -> list[IndicatorRow]:
    rows = []
    for target in targets:
        if target.values_from == Target.ValuesFrom.INDUSTRIAL_AREAS:
            values = dict(occupancy.average)
        else:
            values = actuals.get(target.pk, {})
        spec = Spec.of(target, first_year=first_year)
        rows.append(IndicatorRow(target, spec, values, assess(spec, values)))
    return rows


def programme_targets(programme: Programme) -> QuerySet[Target]:
    return (
        Target.objects.filter(programme=programme)
        .select_related("responsible_body", "item")
        .order_by("item__sequence", "position")
    )


def indicator_rows(*, programme: Programme) -> list[IndicatorRow]:
    """Every indicator of the programme with its accepted values and its verdict, now: four
    queries (targets, their accepted values, the areas, their accepted figures)."""
    targets = list(programme_targets(programme))
    actuals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for target_id, year, value in YearlyFigure.objects.filter(
        target__programme=programme, state=FigureState.ACCEPTED
    ).values_list("target_id", "year", "value"):
        actuals[target_id][year] = value
    occupancy = current_occupancy()
    return _rows(targets, programme_years(programme)[0], actuals, occupancy)


def indicator_rows_as_of(*, programme: Programme, moment: datetime) -> list[IndicatorRow]:
    """The same as it stood at a moment, rebuilt from the change history: the values accepted
    by then, the areas' leasable land then. The targets are read as they are now, like the
    programme's text."""
    targets = list(programme_targets(programme))
    actuals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    area_figures = []
    rows = latest_rows(
        YearlyFigure.history.as_of(moment).filter(state=FigureState.ACCEPTED),
        ("id", "target_id", "industrial_area_id", "year", "value"),
    )
    for row in rows:
        if row["target_id"] is not None:
            actuals[row["target_id"]][row["year"]] = row["value"]
        else:
            area_figures.append(AreaFigure(row["industrial_area_id"], row["year"], row["value"]))
    areas_then = latest_rows(IndustrialArea.history.as_of(moment), ("id", "leasable_area_ha"))
    leasable = {row["id"]: row["leasable_area_ha"] for row in areas_then}
    areas = list(IndustrialArea.objects.filter(pk__in=leasable))
    occupancy = occupancy_table(areas=areas, figures=area_figures, leasable=leasable)
    return _rows(targets, programme_years(programme)[0], actuals, occupancy)


def figures_for_display(queryset: QuerySet[YearlyFigure]) -> QuerySet[YearlyFigure]:
    return queryset.select_related(
        "target__programme",
        "industrial_area",
        "body",
        "drafted_by",
        "submitted_by",
        "reviewed_by",
    )


def explanations_for_display(
    queryset: QuerySet[ExplanationRequest],
) -> QuerySet[ExplanationRequest]:
    return queryset.select_related(
        "target__programme",
        "assignment__item__programme",
        "assignment__body",
        "body",
        "requested_by",
        "answered_by",
        "closed_by",
    )
