"""The verdict on an indicator over a table of cases: level targets against the straight path,
ranges, growth targets on the average annual rate, missing years, no data."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from indicators.assessment import (
    ABOVE,
    AT_RISK,
    BELOW,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    WITHIN,
    Spec,
    area_occupancy,
    assess,
    average_occupancy,
    average_rate,
    path_value,
)


def level(comparator="above", value="40", value_max=None, baseline=(2018, "30"), unit="%"):
    return Spec(
        measure="level",
        comparator=comparator,
        value=D(value),
        value_max=D(value_max) if value_max else None,
        target_year=2030,
        first_year=2018,
        unit=unit,
        baseline_year=baseline[0] if baseline else None,
        baseline_value=D(baseline[1]) if baseline else None,
    )


def growth(comparator="above", value="8", baseline_year=2018):
    return Spec(
        measure="average_annual_growth",
        comparator=comparator,
        value=D(value),
        target_year=2030,
        first_year=2018,
        unit="%/năm",
        baseline_year=baseline_year,
        baseline_value=D("7") if baseline_year else None,
    )


def values(**by_year):
    return {int(year[1:]): D(v) for year, v in by_year.items()}


# Path for level(): 30 in 2018 to 40 in 2030, so 35 in 2024; the planned change is 10 points,
# so "at risk" is up to 1 point behind the path.
CASES = [
    ("no values", level(), {}, NO_DATA, None),
    ("on the path", level(), values(y2024="35"), ON_TRACK, None),
    ("ahead of the path", level(), values(y2024="37"), ON_TRACK, None),
    ("slightly behind", level(), values(y2024="34.2"), AT_RISK, None),
    ("far behind", level(), values(y2024="31"), OFF_TRACK, None),
    ("moving away", level(), values(y2024="28"), OFF_TRACK, None),
    ("already met", level(), values(y2022="41"), ON_TRACK, None),
    ("latest value counts", level(), values(y2022="31", y2024="36"), ON_TRACK, None),
    ("target year met", level(), values(y2030="40.5"), ON_TRACK, None),
    ("target year missed", level(), values(y2030="39.9"), OFF_TRACK, None),
    ("above is strict", level(), values(y2030="40"), OFF_TRACK, None),
    ("at least is not", level("at_least"), values(y2030="40"), ON_TRACK, None),
    ("no baseline, short", level(baseline=None), values(y2024="35"), AT_RISK, None),
    ("no baseline, met", level(baseline=None), values(y2024="41"), ON_TRACK, None),
    (
        "below target on path",
        level("below", "10", baseline=(2018, "22")),
        values(y2024="15"),
        ON_TRACK,
        None,
    ),
    (
        "below target behind",
        level("below", "10", baseline=(2018, "22")),
        values(y2024="20"),
        OFF_TRACK,
        None,
    ),
    # Range 46 - 47 from a baseline of 40: the path heads for 46 (43 in 2024).
    (
        "range below, on path",
        level("range", "46", "47", (2018, "40")),
        values(y2024="43.5"),
        ON_TRACK,
        BELOW,
    ),
    (
        "range below, behind",
        level("range", "46", "47", (2018, "40")),
        values(y2024="41"),
        OFF_TRACK,
        BELOW,
    ),
    (
        "range within early",
        level("range", "46", "47", (2018, "40")),
        values(y2024="46.5"),
        ON_TRACK,
        WITHIN,
    ),
    (
        "range overshot early",
        level("range", "46", "47", (2018, "40")),
        values(y2024="48"),
        AT_RISK,
        ABOVE,
    ),
    (
        "range within at the end",
        level("range", "46", "47", (2018, "40")),
        values(y2030="47"),
        ON_TRACK,
        WITHIN,
    ),
    (
        "range above at the end",
        level("range", "46", "47", (2018, "40")),
        values(y2030="47.2"),
        OFF_TRACK,
        ABOVE,
    ),
    (
        "range below at the end",
        level("range", "46", "47", (2018, "40")),
        values(y2030="45"),
        OFF_TRACK,
        BELOW,
    ),
    (
        "range from above",
        level("range", "46", "47", (2018, "52")),
        values(y2024="49"),
        ON_TRACK,
        ABOVE,
    ),
    (
        "about within 5%",
        level("about", "50", baseline=(2018, "30")),
        values(y2024="48"),
        ON_TRACK,
        None,
    ),
    # Growth: the average of yearly rates (geometric) from 2019.
    ("growth no values", growth(), {}, NO_DATA, None),
    ("growth above target", growth(), values(y2019="9", y2020="8.5"), ON_TRACK, None),
    ("growth equal is not above", growth(), values(y2019="8", y2020="8"), AT_RISK, None),
    ("growth at least equal", growth("at_least", "7.5"), values(y2019="7.5"), ON_TRACK, None),
    ("growth catchable", growth(), values(y2019="7", y2020="7"), AT_RISK, None),
    (
        "growth far short",
        growth(),
        values(
            y2019="-5", y2020="-3", y2021="1", y2022="2", y2023="2", y2024="2", y2025="2", y2026="2"
        ),
        OFF_TRACK,
        None,
    ),
    ("growth target year short", growth(), {y: D("7") for y in range(2019, 2031)}, OFF_TRACK, None),
    ("growth missing year caps", growth(), values(y2019="9", y2021="9"), AT_RISK, None),
    (
        "growth no baseline starts in the first year",
        growth(baseline_year=None),
        values(y2018="9", y2019="9"),
        ON_TRACK,
        None,
    ),
    (
        "growth years before the period are ignored",
        growth(),
        values(y2017="1", y2019="9"),
        ON_TRACK,
        None,
    ),
]


@pytest.mark.parametrize(
    ("spec", "actuals", "verdict", "position"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_it_gives_the_verdict(spec, actuals, verdict, position):
    with translation.override("en"):
        result = assess(spec, actuals)

    assert result.verdict == verdict, result.rule
    assert result.range_position == position
    assert result.rule


def test_it_says_the_rule_in_words():
    with translation.override("en"):
        behind = assess(level(), values(y2024="34.2"))
        missing = assess(growth(), values(y2019="9", y2021="9"))
        nothing = assess(level(), {})

    assert "0.8 behind the straight path (35% that year)" in behind.rule
    assert "no more than 10% of the planned change of 10" in behind.rule
    assert "No value was accepted for 2020" in missing.rule
    assert nothing.rule == "No value has been accepted yet."


def test_it_writes_numbers_the_vietnamese_way():
    with translation.override("vi"):
        result = assess(level(), values(y2024="34.25"))

    assert "34,25%" in result.rule


def test_the_path_runs_straight_from_baseline_to_target():
    spec = level()

    assert path_value(spec, 2018) == D("30")
    assert path_value(spec, 2024) == D("35")
    assert path_value(spec, 2030) == D("40")
    assert path_value(level(baseline=None), 2024) is None


def test_the_average_rate_is_the_compound_one():
    # 10% then -10% leaves 99% of the start: the average is about -0.5%/year, not 0.
    assert round(average_rate([D("10"), D("-10")]), 3) == D("-0.501")
    assert round(average_rate([D("8"), D("8"), D("8")]), 6) == D("8")


def test_it_averages_occupancy_across_areas_alike():
    rates = [area_occupancy(D("30"), D("100")), area_occupancy(D("90"), D("100")), None]

    assert rates[:2] == [D("30"), D("90")]
    assert average_occupancy(rates) == D("60")
    assert average_occupancy([None, None]) is None
    assert area_occupancy(D("5"), None) is None
    assert area_occupancy(D("5"), D("0")) is None
