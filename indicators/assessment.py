"""Is an indicator on track? Pure functions over numbers, no database: the rules below decide,
and every verdict carries the sentence that says which rule decided it, for the reader.

Level targets (a share, a ratio) are judged against the straight path from the baseline
(năm gốc) to the target in the target year:

- the target year has come: the latest value meets the target, or it does not (off track);
- the latest value already meets the target: on track;
- on or ahead of the path in the target's direction: on track;
- behind it by no more than AT_RISK_SHARE of the whole planned change: at risk;
- further behind, or moving away from the target: off track;
- with no baseline no path can be drawn: a value short of the target is at risk.

A range target ("khoảng 46 - 47%") is met within the range; the latest value is also placed
below, within or above it. A value that overshoots the range before the target year is at
risk: the target is the range, not "the more the better".

Growth targets ("bình quân trên 8%/năm"): the yearly values are themselves the year's growth
rates, as the statistics office publishes them, so the average annual rate is their geometric
mean, (Π(1 + rᵢ))^(1/n) − 1 — the compound rate that gives the same growth over those years
as the rates did, i.e. the CAGR of the underlying level. The years counted run from the year
after the baseline year (or the programme's first year) to the latest year with a value:

- the average so far meets the target: on track;
- otherwise, the rate the remaining years up to the target year would need for the whole
  period's average to meet the target: within GROWTH_AT_RISK_POINTS points above the target,
  at risk; more, or no year left, off track.

A missing year between the first year and the latest is named in the rule, and caps the
verdict at "at risk": the average covers fewer years than it should, and the missing year may
hide a fall.

"about" (khoảng) is met within ABOUT_TOLERANCE of the target value, either way.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

AT_RISK_SHARE = Decimal("0.10")
GROWTH_AT_RISK_POINTS = Decimal("2")
ABOUT_TOLERANCE = Decimal("0.05")

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"

VERDICT_LABELS = {
    ON_TRACK: gettext_lazy("On track"),
    AT_RISK: gettext_lazy("At risk"),
    OFF_TRACK: gettext_lazy("Off track"),
    NO_DATA: gettext_lazy("No data"),
}
# Worst first, for sorting and for capping.
SEVERITY = {OFF_TRACK: 0, AT_RISK: 1, NO_DATA: 2, ON_TRACK: 3}

BELOW = "below"
WITHIN = "within"
ABOVE = "above"
RANGE_LABELS = {
    BELOW: gettext_lazy("below the range"),
    WITHIN: gettext_lazy("within the range"),
    ABOVE: gettext_lazy("above the range"),
}

LEVEL = "level"
GROWTH = "average_annual_growth"


@dataclass(frozen=True)
class Spec:
    """What an indicator aims at, in the terms of programme.Target."""

    measure: str
    comparator: str
    value: Decimal
    target_year: int
    first_year: int
    unit: str = ""
    value_max: Decimal | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None

    @classmethod
    def of(cls, target, *, first_year: int) -> "Spec":
        return cls(
            measure=target.measure,
            comparator=target.comparator,
            value=target.value,
            value_max=target.value_max,
            target_year=target.target_year,
            first_year=first_year,
            unit=target.unit,
            baseline_year=target.baseline_year,
            baseline_value=target.baseline_value,
        )

    @property
    def has_baseline(self) -> bool:
        return self.baseline_year is not None and self.baseline_value is not None

    @property
    def growth_first_year(self) -> int:
        return self.baseline_year + 1 if self.baseline_year is not None else self.first_year


@dataclass(frozen=True)
class Assessment:
    verdict: str
    rule: str
    latest_year: int | None = None
    latest_value: Decimal | None = None
    # Where the straight path stands in the latest year (level targets).
    expected: Decimal | None = None
    # The average annual rate so far (growth targets).
    average: Decimal | None = None
    required_rate: Decimal | None = None
    range_position: str | None = None
    missing_years: tuple[int, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def range_label(self) -> str:
        return str(RANGE_LABELS[self.range_position]) if self.range_position else ""


def fmt(number: Decimal | float | None, places: int = 2) -> str:
    """A number as people write it in the active language: 7,5 in Vietnamese, no trailing
    zeros."""
    if number is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(number)).quantize(quantum, rounding=ROUND_HALF_UP).normalize()
    if rounded == 0:
        rounded = Decimal(0)
    return number_format(rounded)


def _with_unit(number, unit: str) -> str:
    text = fmt(number)
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def meets(spec: Spec, value: Decimal) -> bool:
    """Whether a value meets the target's comparator."""
    target = spec.value
    if spec.comparator == "above":
        return value > target
    if spec.comparator == "at_least":
        return value >= target
    if spec.comparator == "below":
        return value < target
    if spec.comparator == "range":
        return target <= value <= spec.value_max
    if spec.comparator == "about":
        return abs(value - target) <= abs(target) * ABOUT_TOLERANCE
    raise ValueError(f"unknown comparator {spec.comparator!r}")


def range_position(spec: Spec, value: Decimal) -> str | None:
    if spec.comparator != "range":
        return None
    if value < spec.value:
        return BELOW
    if value > spec.value_max:
        return ABOVE
    return WITHIN


def aim(spec: Spec) -> Decimal:
    """The point the path heads for: the target value, or for a range the near bound seen
    from the baseline (the midpoint without a baseline, or when the baseline lies within)."""
    if spec.comparator != "range":
        return spec.value
    if spec.has_baseline:
        if spec.baseline_value < spec.value:
            return spec.value
        if spec.baseline_value > spec.value_max:
            return spec.value_max
    return (spec.value + spec.value_max) / 2


def path_value(spec: Spec, year: int) -> Decimal | None:
    """The straight path from the baseline to the target, in a year (level targets)."""
    if not spec.has_baseline or spec.measure != LEVEL:
        return None
    span = spec.target_year - spec.baseline_year
    share = Decimal(year - spec.baseline_year) / Decimal(span)
    return spec.baseline_value + (aim(spec) - spec.baseline_value) * share


def average_rate(rates: list[Decimal]) -> Decimal:
    """The geometric mean of yearly rates given in percent, in percent."""
    product = math.prod(1 + float(r) / 100 for r in rates)
    if product <= 0:
        return Decimal(-100)
    # Rounded to a millionth of a point, so that float noise does not decide "above 8%".
    return Decimal(str(round((product ** (1 / len(rates)) - 1) * 100, 6)))


def assess(spec: Spec, actuals: dict[int, Decimal]) -> Assessment:
    """The verdict on an indicator from its accepted yearly values, by year."""
    if spec.measure == GROWTH:
        return _assess_growth(spec, actuals)
    return _assess_level(spec, actuals)


def _target_words(spec: Spec) -> str:
    if spec.comparator == "range":
        amount = f"{fmt(spec.value)} - {_with_unit(spec.value_max, spec.unit)}"
    else:
        amount = _with_unit(spec.value, spec.unit)
    return _("%(comparator)s %(amount)s in %(year)s") % {
        "comparator": _comparator_words(spec.comparator),
        "amount": amount,
        "year": spec.target_year,
    }


def _comparator_words(comparator: str) -> str:
    return {
        "about": _("about"),
        "above": _("above"),
        "at_least": _("at least"),
        "below": _("below"),
        "range": _("within"),
    }[comparator]


def _assess_level(spec: Spec, actuals: dict[int, Decimal]) -> Assessment:
    if not actuals:
        return Assessment(NO_DATA, _("No value has been accepted yet."))
    year = max(actuals)
    value = actuals[year]
    position = range_position(spec, value)
    expected = path_value(spec, year)
    words = {
        "value": _with_unit(value, spec.unit),
        "year": year,
        "target": _target_words(spec),
        "position": str(RANGE_LABELS[position]) if position else "",
    }
    base = {
        "latest_year": year,
        "latest_value": value,
        "expected": expected,
        "range_position": position,
    }
    met = meets(spec, value)
    if year >= spec.target_year:
        if met:
            rule = _(
                "The target year has come and the value, %(value)s in %(year)s, meets the "
                "target (%(target)s)."
            )
            return Assessment(ON_TRACK, rule % words, **base)
        if position:
            rule = _(
                "The target year has come and the value, %(value)s in %(year)s, is "
                "%(position)s (%(target)s)."
            )
        else:
            rule = _(
                "The target year has come and the value, %(value)s in %(year)s, does not "
                "meet the target (%(target)s)."
            )
        return Assessment(OFF_TRACK, rule % words, **base)
    if met:
        rule = _("The latest value, %(value)s in %(year)s, already meets the target (%(target)s).")
        return Assessment(ON_TRACK, rule % words, **base)
    direction = _direction(spec)
    if position and direction:
        overshot = (position == ABOVE and direction > 0) or (position == BELOW and direction < 0)
        if overshot:
            rule = _(
                "The latest value, %(value)s in %(year)s, has gone past the range: it is "
                "%(position)s (%(target)s)."
            )
            return Assessment(AT_RISK, rule % words, **base)
    if expected is None:
        rule = _(
            "No baseline is set, so no path to the target can be drawn; the latest value, "
            "%(value)s in %(year)s, does not yet meet the target (%(target)s)."
        )
        return Assessment(AT_RISK, rule % words, **base)
    if direction == 0:
        rule = _(
            "The baseline already lay at the target, and the latest value, %(value)s in "
            "%(year)s, has left it (%(target)s)."
        )
        return Assessment(AT_RISK, rule % words, **base)
    planned = abs(aim(spec) - spec.baseline_value)
    gap = (expected - value) * direction
    words |= {
        "expected": _with_unit(expected, spec.unit),
        "gap": fmt(abs(gap)),
        "share": fmt(AT_RISK_SHARE * 100, 0),
        "planned": fmt(planned),
        "baseline": _with_unit(spec.baseline_value, spec.unit),
        "baseline_year": spec.baseline_year,
    }
    if gap <= 0:
        rule = _(
            "The latest value, %(value)s in %(year)s, is on or ahead of the straight path "
            "from the baseline (%(baseline)s in %(baseline_year)s) to the target "
            "(%(target)s), which stands at %(expected)s that year."
        )
        return Assessment(ON_TRACK, rule % words, **base)
    if gap <= AT_RISK_SHARE * planned:
        rule = _(
            "The latest value, %(value)s in %(year)s, is %(gap)s behind the straight path "
            "(%(expected)s that year): no more than %(share)s%% of the planned change of "
            "%(planned)s from the baseline to the target (%(target)s)."
        )
        return Assessment(AT_RISK, rule % words, **base)
    rule = _(
        "The latest value, %(value)s in %(year)s, is %(gap)s behind the straight path "
        "(%(expected)s that year): more than %(share)s%% of the planned change of "
        "%(planned)s from the baseline to the target (%(target)s)."
    )
    return Assessment(OFF_TRACK, rule % words, **base)


def _direction(spec: Spec) -> int:
    if spec.comparator in ("above", "at_least"):
        return 1
    if spec.comparator == "below":
        return -1
    if not spec.has_baseline:
        return 1 if spec.comparator == "range" else 0
    delta = aim(spec) - spec.baseline_value
    if spec.comparator == "range" and spec.value <= spec.baseline_value <= spec.value_max:
        return 0
    return (delta > 0) - (delta < 0)


def _cap(verdict: str, missing: tuple[int, ...]) -> str:
    if missing and verdict == ON_TRACK:
        return AT_RISK
    return verdict


def _assess_growth(spec: Spec, actuals: dict[int, Decimal]) -> Assessment:
    first = spec.growth_first_year
    counted = {year: rate for year, rate in actuals.items() if first <= year <= spec.target_year}
    if not counted:
        return Assessment(NO_DATA, _("No value has been accepted yet."))
    latest = max(counted)
    missing = tuple(year for year in range(first, latest + 1) if year not in counted)
    rates = [counted[year] for year in sorted(counted)]
    average = average_rate(rates)
    words = {
        "average": _with_unit(average, spec.unit),
        "count": len(rates),
        "first": min(counted),
        "latest": latest,
        "target": _target_words(spec),
    }
    base = {
        "latest_year": latest,
        "latest_value": counted[latest],
        "average": average,
        "expected": spec.value,
        "missing_years": missing,
    }
    note = ""
    if missing:
        note = " " + _(
            "No value was accepted for %(years)s: the average covers only the years with values, "
            "so the verdict is at best at risk."
        ) % {"years": ", ".join(str(y) for y in missing)}
    if meets(spec, average):
        rule = _(
            "The average annual rate over the %(count)s years with values (%(first)s–"
            "%(latest)s) is %(average)s, which meets the target (%(target)s)."
        )
        return Assessment(_cap(ON_TRACK, missing), rule % words + note, **base)
    remaining = spec.target_year - latest
    if remaining <= 0:
        rule = _(
            "The target year has come and the average annual rate over the %(count)s "
            "years with values (%(first)s–%(latest)s), %(average)s, does not meet the "
            "target (%(target)s)."
        )
        return Assessment(OFF_TRACK, rule % words + note, **base)
    needed = 1 + float(spec.value) / 100
    product = math.prod(1 + float(r) / 100 for r in rates)
    years = len(rates) + remaining
    required = Decimal(str(round(((needed**years / product) ** (1 / remaining) - 1) * 100, 6)))
    words |= {
        "required": _with_unit(required, spec.unit),
        "remaining": remaining,
        "points": fmt(GROWTH_AT_RISK_POINTS, 0),
    }
    base["required_rate"] = required
    if required <= spec.value + GROWTH_AT_RISK_POINTS:
        rule = _(
            "The average annual rate over the %(count)s years with values (%(first)s–"
            "%(latest)s) is %(average)s, short of the target (%(target)s); the remaining "
            "%(remaining)s years need %(required)s, within %(points)s points of it."
        )
        return Assessment(AT_RISK, rule % words + note, **base)
    rule = _(
        "The average annual rate over the %(count)s years with values (%(first)s–"
        "%(latest)s) is %(average)s, short of the target (%(target)s); the remaining "
        "%(remaining)s years would need %(required)s, more than %(points)s points above it."
    )
    return Assessment(OFF_TRACK, rule % words + note, **base)


def area_occupancy(occupied: Decimal | None, leasable: Decimal | None) -> Decimal | None:
    """The share of an area's leasable industrial land that is let, in percent."""
    if occupied is None or not leasable:
        return None
    return occupied * 100 / leasable


def average_occupancy(rates: list[Decimal | None]) -> Decimal | None:
    """The average occupancy across zones and clusters: the plain mean of each one's rate, so
    that every zone and cluster counts alike, as the target's "lấp đầy bình quân" reads.
    Areas without a rate (no leasable area, no accepted figure that year) are left out."""
    known = [rate for rate in rates if rate is not None]
    if not known:
        return None
    return sum(known, Decimal(0)) / len(known)
