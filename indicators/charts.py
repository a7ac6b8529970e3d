"""An indicator's chart as plain SVG drawn on the server: the accepted yearly values, the
straight path from the baseline to the target (for a growth target, the target rate across
the years), and the target itself (a band for a range). No script, no style attribute (the
pages' Content Security Policy allows neither), nothing fetched; every text is escaped.

Each value's point carries `data-year` and `data-value`, so tests and readers of the markup
find the numbers, and a <title> that screen readers and tooltips show.
"""

from decimal import Decimal
from html import escape

from .assessment import GROWTH, Assessment, Spec, aim, fmt

INK = "#1b1b1b"
PATH = "#6b6b6b"
BAND = "#dfe8df"
VERDICT_FILLS = {
    "on_track": "#2e6b3a",
    "at_risk": "#a35a00",
    "off_track": "#a3161a",
    "no_data": "#6b6b6b",
}


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def indicator_chart(
    spec: Spec,
    actuals: dict[int, Decimal],
    assessment: Assessment,
    *,
    title: str,
    width: int = 560,
    height: int = 240,
    small: bool = False,
) -> str:
    """The chart of one indicator. `small` leaves out the axis labels but the first and last
    year, for the overview's table."""
    left, right, top, bottom = (30, 10, 8, 18) if small else (46, 16, 12, 28)
    first = min([spec.baseline_year if spec.has_baseline else spec.first_year, *actuals], default=0)
    if spec.measure == GROWTH:
        first = min([spec.growth_first_year, *actuals])
    last = max([spec.target_year, *actuals])
    first = min(first, last - 1)

    values = [float(v) for v in actuals.values()]
    values += [float(spec.value)]
    if spec.value_max is not None:
        values.append(float(spec.value_max))
    if spec.has_baseline:
        values.append(float(spec.baseline_value))
    low, high = min(values), max(values)
    if low >= 0 and high <= 100 and spec.unit.strip() == "%":
        low = 0.0
    pad = (high - low) * 0.1 or 1.0
    low, high = low - (pad if low != 0 else 0), high + pad

    span_x = width - left - right
    span_y = height - top - bottom

    def x(year: float) -> float:
        return left + span_x * (year - first) / (last - first)

    def y(value: float) -> float:
        return top + span_y * (1 - (value - low) / (high - low))

    label = escape(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart indicator-chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{label}" font-family="Liberation Serif, serif">',
        f"<title>{label}</title>",
    ]
    # The target: a band for a range, a line at the target value otherwise (dotted).
    if spec.value_max is not None:
        parts.append(
            f'<rect class="chart-target" x="{_n(left)}" y="{_n(y(float(spec.value_max)))}" '
            f'width="{_n(span_x)}" height="{_n(y(float(spec.value)) - y(float(spec.value_max)))}" '
            f'fill="{BAND}" data-value="{spec.value}" data-value-max="{spec.value_max}"/>'
        )
    else:
        parts.append(
            f'<line class="chart-target" x1="{_n(left)}" x2="{_n(left + span_x)}" '
            f'y1="{_n(y(float(spec.value)))}" y2="{_n(y(float(spec.value)))}" stroke="{PATH}" '
            f'stroke-width="1" stroke-dasharray="2 3" data-value="{spec.value}"/>'
        )
    # Axes.
    parts.append(
        f'<path d="M{_n(left)} {_n(top)}V{_n(top + span_y)}H{_n(left + span_x)}" '
        f'fill="none" stroke="{INK}" stroke-width="0.8"/>'
    )
    font = 9 if small else 11
    years = [first, last] if small else list(range(first, last + 1))
    step = 1 if len(years) <= 14 else 2
    for index, year in enumerate(years):
        if index % step and year != last:
            continue
        parts.append(
            f'<text x="{_n(x(year))}" y="{_n(top + span_y + font + 3)}" font-size="{font}" '
            f'text-anchor="middle" fill="{INK}">{year}</text>'
        )
    ticks = [low, (low + high) / 2, high] if not small else [low, high]
    for tick in ticks:
        parts.append(
            f'<text x="{_n(left - 4)}" y="{_n(y(tick) + font / 3)}" font-size="{font}" '
            f'text-anchor="end" fill="{INK}">{escape(fmt(tick, 1))}</text>'
        )
    # The straight path from the baseline to the target, or the target rate over the years.
    if spec.measure == GROWTH:
        start = spec.growth_first_year
        parts.append(
            f'<line class="chart-path" x1="{_n(x(start))}" x2="{_n(x(spec.target_year))}" '
            f'y1="{_n(y(float(spec.value)))}" y2="{_n(y(float(spec.value)))}" stroke="{PATH}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    elif spec.has_baseline:
        goal = float(aim(spec))
        parts.append(
            f'<line class="chart-path" x1="{_n(x(spec.baseline_year))}" '
            f'y1="{_n(y(float(spec.baseline_value)))}" x2="{_n(x(spec.target_year))}" '
            f'y2="{_n(y(goal))}" stroke="{PATH}" stroke-width="1.5" stroke-dasharray="6 4" '
            f'data-baseline-year="{spec.baseline_year}" data-baseline="{spec.baseline_value}"/>'
        )
    # The target point in the target year.
    tx, ty = x(spec.target_year), y(float(aim(spec)))
    parts.append(
        f'<path class="chart-goal" d="M{_n(tx)} {_n(ty - 5)}l5 5l-5 5l-5-5z" fill="#fff" '
        f'stroke="{INK}" stroke-width="1" data-year="{spec.target_year}"/>'
    )
    # The accepted values.
    fill = VERDICT_FILLS[assessment.verdict]
    ordered = sorted(actuals.items())
    if len(ordered) > 1:
        points = " ".join(f"{_n(x(year))},{_n(y(float(v)))}" for year, v in ordered)
        parts.append(
            f'<polyline class="chart-actuals" points="{points}" fill="none" stroke="{fill}" '
            f'stroke-width="2"/>'
        )
    radius = 2.5 if small else 3.5
    for year, value in ordered:
        parts.append(
            f'<circle class="chart-value" cx="{_n(x(year))}" cy="{_n(y(float(value)))}" '
            f'r="{radius}" fill="{fill}" data-year="{year}" data-value="{value}">'
            f"<title>{year}: {escape(fmt(value))}{escape(spec.unit)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
