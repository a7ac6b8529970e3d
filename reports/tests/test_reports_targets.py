"""The Standing Committee report's targets section: the indicator table with the verdicts and
the rules behind them, and a chart per indicator, read back from the PDF; as of a date, a
value accepted later does not show."""

from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.selectors import indicator_rows_as_of
from reports.as_of import programme_state
from reports.build import report_document
from reports.standing_committee import targets_section
from tasks.models import ReportingPeriod

from .conftest import build, flat, pdf_text

pytestmark = pytest.mark.django_db


def section(document):
    return next(s for s in document.sections if s.heading.startswith("VI. "))


def test_the_pdf_holds_the_indicator_table_with_verdicts(world, accepted):
    accepted(world.share, 2022, "31")
    accepted(world.share, 2024, "36")
    accepted(world.growth, 2019, "6")
    accepted(world.cluster, 2024, "30")
    accepted(world.other, 2024, "45")

    report = build("standing_committee", period=ReportingPeriod.objects.get(code="2026-nam"))
    text = flat("\n".join(pdf_text(report)))

    assert "VI. TIẾN ĐỘ THỰC HIỆN CÁC CHỈ TIÊU" in text
    assert "Chưa có số liệu" in text  # the indicators without a value
    assert "Mục tiêu Năm gốc Giá trị thực hiện Đánh giá" in text
    assert (
        "Tỷ trọng công nghiệp trong GRDP trên 40% (2030) 30% (2018) 36% (2024) Đúng hướng" in text
    )
    assert "6%/năm (2019); bình quân 6%/năm" in text
    assert "Có nguy cơ không đạt" in text
    # The occupancy indicator: (30% + 90%) / 2 across the two clusters with figures.
    assert "60% (2024)" in text
    assert "Căn cứ đánh giá từng chỉ tiêu" in text
    # A chart for each indicator with values, none for those without: one line says so.
    document = report_document(report)
    charts = section(document).charts
    valued = [
        row
        for row in indicator_rows_as_of(programme=report.programme, moment=report.data_as_of)
        if row.actuals
    ]
    assert 0 < len(charts) == len(valued) < 8
    assert f"Biểu đồ {len(charts)}." in text
    assert f"Biểu đồ {len(charts) + 1}." not in text
    assert (
        f"Chưa có giá trị thực hiện được chấp nhận của {8 - len(charts)} chỉ tiêu nên chưa vẽ "
        "biểu đồ cho các chỉ tiêu này." in text
    )
    assert all(svg.startswith("<svg") for _caption, svg in charts)


def test_as_of_a_moment_a_value_accepted_later_does_not_show(world, accepted):
    accepted(world.cluster, 2024, "30")
    before = timezone.now()
    accepted(world.share, 2024, "36")
    # The register changes after the moment too: the occupancy then is read with the land then.
    world.cluster.leasable_area_ha = Decimal("60")
    world.cluster.save()

    def rows_at(moment):
        state = programme_state(programme=world.share.programme, moment=moment)
        table = targets_section(state).tables[0]
        return {row.cells[0]: row.cells[3:] for row in table.rows}

    then, now = rows_at(before), rows_at(timezone.now())

    assert then[world.share.name] == ("Chưa có số liệu", "Chưa có số liệu")
    assert now[world.share.name] == ("36% (2024)", "Đúng hướng")
    assert then[world.occupancy.name][0] == "30% (2024)"
    assert now[world.occupancy.name][0] == "50% (2024)"
