"""What the reports say is true, read back from the PDFs as an official would read them: the
sums in the sentence and in the tables, each sender's own header and number, the signer in
office on the report's date, the report's own numbering, dates and figures that never break,
the paragraphs people wrote, and a page of each kind whose text stays in its cells."""

import re
import subprocess
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from django.utils import timezone

from accounts.models import Body
from reports.build import report_file_name
from reports.figures import FiguresDoNotAddUp, SumCheck, sums_check
from reports.models import GeneratedReport, GeneratedReportState, Signatory
from reports.services import generated_report_build, generated_report_record
from reports.tables import counts_row
from tasks.reporting import REPORTING_COLUMNS, folded, reporting_counts_by
from tasks.status import Status

from .conftest import build, flat, pdf_text

pytestmark = pytest.mark.django_db

SENTENCE = re.compile(
    r"đã hoàn thành (\d+) lượt, trong đó đúng hạn (\d+), quá hạn (\d+); chưa hoàn thành (\d+) "
    r"lượt, trong đó trong hạn (\d+), quá hạn (\d+); thường xuyên (\d+) lượt"
)
REPORTING_SENTENCE = re.compile(
    r"(\d+) lượt phải gửi báo cáo, trong đó đã gửi (\d+) lượt \(đúng hạn (\d+), trễ hạn "
    r"(\d+)\); chưa gửi (\d+) lượt \(chưa đến hạn (\d+), quá hạn gửi (\d+)\)"
)


def text_of(report) -> str:
    return flat("\n".join(pdf_text(report)))


def built_on(kind: str, day: date, **parameters) -> GeneratedReport:
    """A report asked for on `day` (its date, which picks the signer), with today's data."""
    from programme.models import Programme

    report = generated_report_record(
        kind=kind, programme=Programme.objects.get(code="nq23"), **parameters
    )
    GeneratedReport.objects.filter(pk=report.pk).update(
        requested_at=timezone.make_aware(datetime.combine(day, time(9)))
    )
    return generated_report_build(report_id=report.pk)


@pytest.fixture(scope="module")
def upward(report_world, django_db_blocker):
    with django_db_blocker.unblock():
        return build("upward", period=report_world.period)


# The sums.


@pytest.mark.parametrize("kind", ["standing_committee", "oversight", "body"])
def test_its_sentence_of_counts_adds_up_and_is_the_tables_row(report_world, kind):
    text = text_of(getattr(report_world.reports, kind))
    (sentence,) = SENTENCE.findall(text)
    done, on_time, late, not_done, within, overdue, ongoing = map(int, sentence)
    total = int(re.search(r"(\d+) lượt (?:phân công|nhiệm vụ)", text).group(1))

    assert done == on_time + late
    assert not_done == within + overdue
    assert total == done + not_done + ongoing
    # The table's total row: on time, late, within, overdue, ongoing, total.
    assert f"{on_time} {late} {within} {overdue} {ongoing} {total}" in text


def test_the_standing_committee_counts_the_reporting_of_the_period_as_the_overview_does(
    report_world,
):
    text = text_of(report_world.reports.standing_committee)
    (sentence,) = REPORTING_SENTENCE.findall(text)
    owed, sent, on_time, late, unsent, not_due, overdue = map(int, sentence)
    counts = folded(reporting_counts_by(report_world.period, today=report_world.today))
    expected = [counts[column] for column in REPORTING_COLUMNS]

    assert (sent, unsent) == (on_time + late, not_due + overdue)
    assert owed == sent + unsent == sum(expected)
    assert [on_time, late, not_due, overdue] == expected
    assert f"Toàn bộ chương trình {' '.join(map(str, expected))} {owed}" in text


def test_parts_that_do_not_make_their_whole_stop_the_build_with_a_clear_message():
    row = counts_row("III.3", "", [Status.ONGOING, Status.OVERDUE])
    row.rows = 3  # one assignment counted nowhere: the case of the wrong report

    with pytest.raises(
        FiguresDoNotAddUp, match=r"III\.3 \(tình trạng thực hiện\): tổng các phần 2, tổng số 3"
    ):
        sums_check(row.checks())
    sums_check(counts_row("III.3", "", [Status.ONGOING, Status.OVERDUE]).checks())
    assert not SumCheck("x", 138, (("a", 0), ("b", 137))).holds


def test_a_report_whose_figures_do_not_add_up_is_not_built(report_world, monkeypatch):
    from reports import standing_committee

    real = standing_committee.counts_by_group
    # A builder that loses a task group: the columns no longer make the programme's total.
    monkeypatch.setattr(standing_committee, "counts_by_group", lambda *a: real(*a)[1:])
    report = build("standing_committee", period=report_world.period)

    assert report.state == GeneratedReportState.FAILED
    assert "Số liệu không khớp" in report.error
    assert "Số nhiệm vụ theo nhóm, cột Nhiệm vụ thường xuyên: tổng các phần" in report.error
    assert not report.pdf


# The senders.


def test_each_sender_has_its_own_header_number_recipients_and_signature(report_world, upward):
    office = text_of(report_world.reports.standing_committee)
    committee = text_of(upward)
    front = text_of(report_world.reports.oversight)

    assert office.startswith("TỈNH ỦY KHÁNH HÒA VĂN PHÒNG * Số -BC/VPTU ĐẢNG CỘNG SẢN VIỆT NAM")
    assert "Văn phòng Tỉnh ủy báo cáo Ban Thường vụ Tỉnh ủy" in office
    assert "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy" in office
    assert "Bộ Chính trị" not in office.split("Nơi nhận:")[1]

    assert committee.startswith("TỈNH ỦY KHÁNH HÒA * Số -BC/TU ĐẢNG CỘNG SẢN VIỆT NAM")
    assert "Ban Thường vụ Tỉnh ủy Khánh Hòa báo cáo Bộ Chính trị, Ban Bí thư" in committee
    closing = committee.split("Nơi nhận:")[1]
    for recipient in ("Bộ Chính trị", "Ban Bí thư", "Văn phòng Trung ương Đảng", "Lưu"):
        assert recipient in closing
    assert "T/M BAN THƯỜNG VỤ BÍ THƯ Nghiêm Xuân Thành" in closing

    assert front.startswith("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH KHÁNH HÒA BAN THƯỜNG TRỰC")
    assert (
        "Số: /BC-MTTQ-BTT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in front
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in front
    assert "TM. BAN THƯỜNG TRỰC CHỦ TỊCH Nguyễn Khắc Hà" in front


def test_the_council_delegation_reports_under_its_own_header_with_its_signer(report_world):
    council = Body.objects.get(code="dang-doan-hdnd-tinh")
    Signatory.objects.create(
        body=council,
        position="BÍ THƯ",
        name="Người Ký Thử",  # made up: no public source names one
        authority=Signatory.Authority.ON_BEHALF,
        valid_from=date(2025, 1, 1),
    )
    report = build("oversight", period=report_world.period, body=council)
    text = text_of(report)

    assert text.startswith("TỈNH ỦY KHÁNH HÒA ĐẢNG ĐOÀN HĐND TỈNH * Số -BC/ĐĐ")
    assert "T/M ĐẢNG ĐOÀN BÍ THƯ Người Ký Thử" in text
    assert report_file_name(report) == (
        f"bao-cao-giam-sat-dang-doan-hdnd-{timezone.localdate().isoformat()}"
    )


# The signer.


@pytest.mark.parametrize(
    ("day", "signer"),
    [
        (date(2024, 6, 3), "Nguyễn Hải Ninh"),
        (date(2025, 10, 1), "Nghiêm Xuân Thành"),
    ],
)
def test_the_signer_is_the_secretary_in_office_on_the_reports_date(report_world, day, signer):
    text = text_of(built_on("upward", day, period=report_world.period))

    assert f"T/M BAN THƯỜNG VỤ BÍ THƯ {signer}" in text
    assert "Lê Thanh Quang" not in text


def test_with_nobody_in_office_the_block_has_the_post_and_no_name(report_world):
    # Between the two Secretaries the sources date, nobody is on record.
    text = text_of(built_on("upward", date(2025, 1, 10), period=report_world.period))
    closing = text.split("Nơi nhận:")[1]

    assert "T/M BAN THƯỜNG VỤ BÍ THƯ" in closing
    assert not re.search(r"BÍ THƯ \w", closing.split("T/M BAN THƯỜNG VỤ")[1].split("BÍ THƯ")[0])
    for name in ("Nguyễn Hải Ninh", "Nghiêm Xuân Thành", "Lê Thanh Quang"):
        assert name not in closing


def test_the_person_asking_may_choose_another_signer_in_office(report_world):
    office = Body.objects.get(code="van-phong-tinh-uy")
    deputy = Signatory.objects.create(
        body=office,
        position="PHÓ CHÁNH VĂN PHÒNG",
        name="Người Ký Thay",  # made up: no public source names the Office's leaders
        authority=Signatory.Authority.FOR_HEAD,
        valid_from=date(2025, 1, 1),
    )
    report = build("standing_committee", period=report_world.period, signatory=deputy)

    assert "K/T CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG Người Ký Thay" in text_of(report)


# The numbering.


def test_sections_are_numbered_by_the_reports_own_outline(report_world):
    text = text_of(report_world.reports.standing_committee)
    # A heading is a roman number and a title in capitals.
    headings = [
        (number, title)
        for number, title in re.findall(r"(?<![\w.])([IVX]+)\. (\w[\w ,]{5})", text)
        if title == title.upper()
    ]

    assert [number for number, _ in headings] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    groups = re.findall(r"(\d+)\. Nhóm nhiệm vụ (\d+) \(mục III\.(\d+) của Chương trình\)", text)
    assert [tuple(map(int, g)) for g in groups] == [(n, n, n) for n in range(1, 11)]
    # The programme's numbers are cited, never used as the report's own headings.
    assert not re.search(
        r"III\.\d+\. (?:Về|Đẩy|Tạo|Chính|Phát|Nâng)", text.split("III. KẾT QUẢ")[1]
    )


# The layout.


def test_no_date_breaks_across_lines(report_world):
    extended = report_world.extended
    for report in vars(report_world.reports).values():
        for page in pdf_text(report):
            for line in page.splitlines():
                assert not re.search(r"\d{1,2}/\d{1,2}/\d{0,3}\s*$", line), line
                assert not re.match(r"^\s*\d{1,4}\s*\(gia hạn", line), line
    text = "\n".join(pdf_text(report_world.reports.standing_committee))
    printed = f"{extended.extended_deadline:%d/%m/%Y} (gia hạn từ {extended.deadline:%d/%m/%Y})"
    assert printed in flat(text)
    for day in (extended.extended_deadline, extended.deadline):
        assert f"{day:%d/%m/%Y}" in text  # whole, on one line


def test_the_paragraphs_people_wrote_stay_paragraphs(report_world):
    lines = [
        line.strip()
        for page in pdf_text(report_world.reports.standing_committee)
        for line in page.splitlines()
    ]
    second = next(i for i, line in enumerate(lines) if "Đoạn thứ hai" in line)

    # The second paragraph starts its own line, right after the end of the first.
    assert lines[second].startswith("Đoạn thứ hai:"), lines[second]
    assert lines[second - 1].endswith("quy hoạch."), lines[second - 1]


def test_a_section_without_data_says_so_in_one_line_and_draws_no_empty_chart(report_world):
    text = text_of(report_world.reports.standing_committee)

    assert "Chưa có giá trị thực hiện được chấp nhận của chỉ tiêu nào nên chưa vẽ biểu đồ." in text
    assert "Biểu đồ 1." not in text


def test_unchanged_ongoing_duties_fold_into_a_count_per_body_pointing_to_the_workbook(
    report_world,
):
    from openpyxl import load_workbook

    report = report_world.reports.oversight
    text = text_of(report)
    with report.xlsx.open("rb") as handle:
        sheet = load_workbook(BytesIO(handle.read()))["Nhiệm vụ giám sát"]
    listed = [row for row in sheet.iter_rows(values_only=True) if row[1] and row[2]]

    assert "danh sách chi tiết tại trang “Nhiệm vụ giám sát” của tệp Excel kèm theo" in text
    folded_total = int(re.search(r"Cộng (\d+)", text).group(1))
    assert folded_total > 100
    # The workbook lists every row the PDF folds, under its header row.
    assert len(listed) - 1 >= folded_total
    assert report.page_count <= 6


def test_file_names_say_what_the_file_is(report_world, upward):
    day = timezone.localdate().isoformat()

    assert report_file_name(report_world.reports.oversight) == f"bao-cao-giam-sat-uy-ban-mttq-{day}"
    assert report_file_name(report_world.reports.body) == f"bao-cao-thanh-uy-nha-trang-{day}"
    assert report_file_name(report_world.reports.standing_committee) == (
        f"bao-cao-van-phong-tinh-uy-gui-ban-thuong-vu-{day}"
    )
    assert report_file_name(upward) == f"bao-cao-ban-thuong-vu-tinh-uy-thuc-hien-nghi-quyet-{day}"


def _words_outside_their_cells(page) -> list[str]:
    """Words that start in a table's cell and end past its right edge, or sit left of the
    page's text area (a chart's label cut at its box)."""
    wrong = []
    words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
    left = 30 / 25.4 * 72 - 1  # the 30 mm left margin
    for word in words:
        if word["x0"] < left:
            wrong.append(f"{word['text']} left of the margin")
    for table in page.find_tables():
        for cell in (c for row in table.rows for c in row.cells if c):
            x0, top, x1, bottom = cell
            for word in words:
                starts_inside = x0 <= word["x0"] < x1 and top <= word["top"] < bottom
                if starts_inside and word["x1"] > x1 + 0.5:
                    wrong.append(f"{word['text']} past its cell ({word['x1']:.1f} > {x1:.1f})")
    return wrong


@pytest.mark.parametrize("kind", ["standing_committee", "upward", "oversight", "body"])
def test_a_page_of_each_kind_renders_with_every_text_inside_its_cell(
    report_world, upward, kind, tmp_path
):
    report = upward if kind == "upward" else getattr(report_world.reports, kind)
    pdf = tmp_path / "report.pdf"
    with report.pdf.open("rb") as handle:
        pdf.write_bytes(handle.read())
    # The page with the task tables: the one people read the status from.
    number = 4 if kind in ("standing_committee", "upward") else 2
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            str(number),
            "-l",
            str(number),
            "-r",
            "50",
            "-png",
            "-singlefile",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    png = Path(tmp_path / "page.png").read_bytes()

    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert abs(height / width - 297 / 210) < 0.01
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            assert _words_outside_their_cells(page) == [], f"page {page.page_number}"
        assert document.pages[number - 1].find_tables()
