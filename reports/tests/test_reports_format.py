"""The Standing Committee's report as a Party document: header, title, sections, every task
group, Vietnamese text, the font embedded, page numbers from page 2, table headers repeated."""

import unicodedata
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports.dates import document_date, place_and_date
from reports.models import GeneratedReportState

from .conftest import flat, pdf_text

pytestmark = pytest.mark.django_db

GROUPS = [f"III.{n}" for n in range(1, 11)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
        (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (date(2026, 10, 1), "ngày 01 tháng 10 năm 2026"),
    ],
)
def test_it_writes_dates_as_party_documents_do(day, expected):
    assert document_date(day) == expected


def test_it_puts_the_place_before_the_date():
    assert place_and_date("Khánh Hòa", date(2026, 2, 5)) == "Khánh Hòa, ngày 05 tháng 02 năm 2026"


def _reader(report) -> PdfReader:
    with report.pdf.open("rb") as handle:
        return PdfReader(BytesIO(handle.read()))


def _lines_top_down(page) -> list[tuple[float, str]]:
    """The page's text pieces with their height on the page, top first."""
    pieces = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            pieces.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(pieces, key=lambda piece: -piece[0])


def test_it_builds_the_standing_committee_report(report_world):
    report = report_world.reports.standing_committee

    assert report.state == GeneratedReportState.DONE
    assert report.page_count == len(_reader(report).pages) > 3
    assert len(report.sha256) == 64


def test_it_opens_with_the_party_document_header_and_title(report_world):
    first = pdf_text(report_world.reports.standing_committee)[0]
    lines = [line.strip() for line in first.splitlines()]
    today = report_world.today

    assert lines[:6] == [
        "TỈNH ỦY KHÁNH HÒA",
        "VĂN PHÒNG",
        "*",
        "Số      -BC/VPTU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        f"Khánh Hòa, {document_date(today)}",
    ]
    assert lines[6] == "BÁO CÁO"
    assert "tình hình, kết quả thực hiện Chương trình hành động thực hiện Nghị quyết số" in first
    assert "(Tổng kết năm 2026)" in first


def test_it_has_every_section_every_task_group_and_the_closing(report_world):
    text = flat("\n".join(pdf_text(report_world.reports.standing_committee)))

    for heading in [
        "I. TÌNH HÌNH CHUNG",
        "II. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "III. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP",
        "IV. NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN",
        "V. CƠ QUAN CHƯA GỬI BÁO CÁO",
        "VI. TIẾN ĐỘ THỰC HIỆN CÁC CHỈ TIÊU",
        "VII. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT",
        "Nơi nhận:",
        "CHÁNH VĂN PHÒNG",
    ]:
        assert heading in text
    for number, group in enumerate(GROUPS, start=1):
        assert f"{number}. Nhóm nhiệm vụ {number} (mục {group} của Chương trình): " in text
    assert (
        "1. Nhóm nhiệm vụ 1 (mục III.1 của Chương trình): Về phân bố không gian và chuyển "
        "dịch cơ cấu ngành công nghiệp" in text
    )
    # The programme's signer of 2018 never signs a report.
    assert "Lê Thanh Quang" not in text


def test_it_writes_vietnamese_composed_with_every_diacritic(report_world):
    pages = pdf_text(report_world.reports.standing_committee)
    text = "\n".join(pages)

    assert unicodedata.is_normalized("NFC", text)
    for word in ["Khánh Hòa", "Nghị quyết", "thường xuyên", "Đảng", "hiệu lực", "Ủy"]:
        assert word in text
    assert "\ufffd" not in text


def test_it_embeds_its_own_serif_font(report_world):
    reader = _reader(report_world.reports.standing_committee)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor

    assert fonts
    assert all("LiberationSerif" in name.replace("-", "") for name in fonts), fonts
    assert all(fonts.values()), fonts


def test_it_numbers_pages_at_the_top_from_the_second(report_world):
    reader = _reader(report_world.reports.standing_committee)
    first, second, last = reader.pages[0], reader.pages[1], reader.pages[-1]

    assert _lines_top_down(first)[0][1] == "TỈNH ỦY KHÁNH HÒA"
    assert _lines_top_down(second)[0][1] == "2"
    assert _lines_top_down(last)[0][1] == str(len(reader.pages))


def test_it_repeats_a_tables_header_on_every_page_it_crosses(report_world):
    pages = pdf_text(report_world.reports.body)
    header = "Kết quả trong kỳ"
    with_rows = [
        number
        for number, text in enumerate(pages, start=1)
        if "Triển khai tại địa phương" in flat(text) or "Phối hợp" in flat(text)
    ]

    assert len(with_rows) >= 2
    for number in with_rows:
        assert header in flat(pages[number - 1]), f"page {number}"
