"""What the reports say: the same numbers as the compliance overview, the overdue with days
late, the bodies that have not reported, targets, difficulties and proposals, evidence and
findings; never a draft; and a workbook of the same tables."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from programme.models import Target
from tasks.dashboards.base import period_list_all
from tasks.dashboards.compliance import compliance_page

from .conftest import flat, pdf_text

pytestmark = pytest.mark.django_db


def _dashboard(world):
    return compliance_page(
        user=world.users["reviewer"],
        today=world.today,
        periods=period_list_all(),
        period_id=world.period.pk,
    )


def _counts(cells) -> list[int]:
    return [cell.count for cell in cells]


def test_its_counts_are_the_compliance_overviews(report_world):
    page = _dashboard(report_world)
    text = flat("\n".join(pdf_text(report_world.reports.standing_committee)))
    overall = [*_counts(page.overall.cells), page.overall.total.count]

    assert page.overall.total.count > 100
    assert f"Toàn bộ chương trình {' '.join(map(str, overall))}" in text
    for row in page.by_group:
        numbers = " ".join(map(str, [*_counts(row.counts.cells), row.counts.total.count]))
        assert f"{row.label}. {flat(row.title)} {numbers}" in text, row.label


def test_its_workbook_holds_the_same_counts(report_world):
    report = report_world.reports.standing_committee
    page = _dashboard(report_world)
    with report.xlsx.open("rb") as handle:
        book = load_workbook(BytesIO(handle.read()))
    rows = [list(row) for row in book["Tổng hợp"].iter_rows(values_only=True)]
    by_label = {row[0]: row[1:] for row in rows if row and row[0]}

    assert list(by_label["Toàn bộ chương trình"]) == [
        *_counts(page.overall.cells),
        page.overall.total.count,
    ]
    for row in page.by_group:
        assert list(by_label[f"{row.label}. {row.title}"]) == [
            *_counts(row.counts.cells),
            row.counts.total.count,
        ]
    assert {"Tổng hợp", "Nhiệm vụ", "Quá hạn", "Chưa báo cáo", "Chỉ tiêu"} <= set(book.sheetnames)


def test_it_lists_the_overdue_with_body_deadline_and_days_late(report_world):
    text = flat("\n".join(pdf_text(report_world.reports.standing_committee)))
    late = report_world.late

    assert f"Thành ủy Cam Ranh {late.deadline:%d/%m/%Y} 20" in text


def test_it_names_the_bodies_that_have_not_reported(report_world):
    text = flat("\n".join(pdf_text(report_world.reports.standing_committee)))
    page = _dashboard(report_world)
    (period_missing,) = page.not_reported
    missing = period_missing.rows
    assert period_missing.more == 0

    assert "Cơ quan chưa gửi báo cáo Tổng kết năm 2026" in text
    for number, row in enumerate(missing, start=1):
        assert f"{number} {row.body.name} {row.count}" in text, row.body.name


def test_it_quotes_the_latest_accepted_result_and_states_the_completion(report_world):
    text = flat("\n".join(pdf_text(report_world.reports.standing_committee)))

    assert "Tổng kết năm 2026: “Đã hoàn thành việc quán triệt Nghị quyết tới 100% chi bộ.”" in text
    assert "Đã hoàn thành đúng hạn" in text


def test_it_gathers_difficulties_and_proposals_from_the_reports_sent(report_world):
    text = flat("\n".join(pdf_text(report_world.reports.standing_committee)))

    assert "Thiếu vốn đầu tư hạ tầng cụm công nghiệp." in text
    assert "Đề nghị tỉnh bố trí vốn hỗ trợ giải phóng mặt bằng." in text


def test_it_lists_the_programmes_targets(report_world):
    text = flat("\n".join(pdf_text(report_world.reports.standing_committee)))

    for target in Target.objects.filter(programme__code="nq23"):
        assert flat(target.name) in text


def test_it_never_shows_a_draft(report_world):
    for report in vars(report_world.reports).values():
        assert "Bản nháp nội bộ chưa gửi." not in flat("\n".join(pdf_text(report)))


def test_the_oversight_report_shows_what_the_front_supervises_its_evidence_and_findings(
    report_world,
):
    report = report_world.reports.oversight
    text = flat("\n".join(pdf_text(report)))

    assert text.startswith("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH KHÁNH HÒA BAN THƯỜNG TRỰC")
    assert "kết quả giám sát việc thực hiện Chương trình hành động" in text
    assert "III.1, gạch đầu dòng thứ 1, ý thứ 2" in text
    assert "Tiến độ giải phóng mặt bằng còn chậm." in text
    assert "Đề nghị Thành ủy Nha Trang đẩy nhanh tiến độ." in text
    assert "TM. BAN THƯỜNG TRỰC CHỦ TỊCH" in text


def test_the_oversight_report_cites_the_evidence_of_the_reports(report_world):
    # The completed task (III.10.b1) is supervised by the Front too.
    text = flat("\n".join(pdf_text(report_world.reports.oversight)))

    assert "Văn bản số 45/KH-TU ngày 02/03/2026 của Thành ủy Nha Trang: Kế hoạch quán triệt" in text
    assert "Tệp đính kèm: bien-ban.pdf" in text


def test_the_body_report_shows_its_work_and_results_for_the_period(report_world):
    text = flat("\n".join(pdf_text(report_world.reports.body)))

    assert text.startswith("ĐẢNG BỘ TỈNH KHÁNH HÒA THÀNH ỦY NHA TRANG * Số -BC/TU")
    assert "“Đang rà soát quỹ đất cụm công nghiệp.” (40%; đã gửi, chờ xem xét)" in text
    assert "Chưa gửi báo cáo kỳ này." in text
    assert "Thiếu vốn đầu tư hạ tầng cụm công nghiệp." in text
    assert "Thành ủy Cam Ranh" not in text
    assert "T/M BAN THƯỜNG VỤ BÍ THƯ" in text
