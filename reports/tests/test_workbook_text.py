"""Text in the workbooks stays text: a difficulty, a proposal or a finding typed as a formula
("=HYPERLINK(...)", "=1+1") opens in Excel as the words written, never as a live formula."""

from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import Body
from conftest import make_member
from programme.models import Item
from reports.tables import Column, Table
from reports.workbook import cell_write, workbook_bytes
from tasks.models import Assignment, ReportingPeriod
from tasks.services.findings import finding_record
from tasks.services.reports import ReportData, report_create, report_submit

from .conftest import build

pytestmark = pytest.mark.django_db

# What a body wrote, by the character it starts with: (difficulty, proposal). The supervisor's
# findings use the same two texts as finding and recommendation.
WRITTEN = {
    "=": ('=HYPERLINK("http://x","y")', "=1+1"),
    "+": ("+1+2", "+A1"),
    "-": ("-3+4", "-A1"),
    "@": ("@SUM(A1:A2)", "@A1"),
    "\t": ("\t=5+6", "\t=A1*2"),
    "\r": ("\r=7+8", "\r=A2*3"),
}
PREFIXES = pytest.mark.parametrize(
    "prefix", list(WRITTEN), ids=["equals", "plus", "minus", "at", "tab", "carriage-return"]
)

# Six tasks of Thành ủy Nha Trang beyond the two the reference data gives it, one report each.
ITEMS = ("III.2.b1", "III.2.b2", "III.2.b3", "III.3.b1", "III.3.b2", "III.3.b3")


def quoted(text: str) -> str:
    """The text as the report quotes it: the services trim what is written and the report's
    tables collapse whitespace, so a leading tab or carriage return reaches the workbook as the
    formula-like text behind it."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def workbooks(reference_data, django_db_blocker):
    """The body report, the Standing Committee report and the oversight report, built by the
    task cluster's service from reports and findings whose texts look like formulas."""
    with django_db_blocker.unblock(), translation.override("vi"):
        nha_trang = Body.objects.get(code="thanh-uy-nha-trang")
        basis = Item.objects.get(programme__code="nq23", key="IV.4")
        # Before the cast, whose grants are made from the assignments.
        tasks = [
            Assignment.objects.create(
                item=Item.objects.get(programme__code="nq23", key=key),
                body=nha_trang,
                role=Assignment.Role.IMPLEMENT_LOCALLY,
                basis=basis,
            )
            for key in ITEMS
        ]
        officer, leader = make_member("officer"), make_member("leader")
        supervisor = make_member("supervisor")
        period = ReportingPeriod.objects.get(code="2026-nam")
        for task, (difficulty, proposal) in zip(tasks, WRITTEN.values(), strict=True):
            report = report_create(
                assignment=task,
                period=period,
                data=ReportData(
                    result="Đang triển khai.",
                    percent_complete=20,
                    difficulties=difficulty,
                    proposals=proposal,
                ),
                acting_user=officer,
            )
            report_submit(report=report, acting_user=leader)
        supervision = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="uy-ban-mttq-tinh", role="supervise"
        )
        for text, recommendation in WRITTEN.values():
            finding_record(
                supervision=supervision,
                period=period,
                text=text,
                recommendation=recommendation,
                acting_user=supervisor,
            )
        reports = {
            "body": build("body", period=period, body=nha_trang),
            "standing_committee": build("standing_committee", period=period),
            "oversight": build(
                "oversight", period=period, body=Body.objects.get(code="uy-ban-mttq-tinh")
            ),
        }
        books = {}
        for kind, report in reports.items():
            assert report.state == "done", report.error
            with report.xlsx.open("rb") as handle:
                books[kind] = load_workbook(BytesIO(handle.read()))
    return SimpleNamespace(**books)


def _cells(sheet, value: str) -> list:
    return [cell for row in sheet.iter_rows() for cell in row if cell.value == value]


def _assert_text(sheet, written: str) -> None:
    cells = _cells(sheet, quoted(written))
    assert cells, f"{quoted(written)!r} is not on sheet {sheet.title!r}"
    assert [cell.data_type for cell in cells] == ["s"] * len(cells), quoted(written)


@PREFIXES
@pytest.mark.parametrize("kind", ["body", "standing_committee"])
def test_it_keeps_difficulties_and_proposals_as_text(workbooks, kind, prefix):
    sheet = getattr(workbooks, kind)["Khó khăn, kiến nghị"]
    difficulty, proposal = WRITTEN[prefix]

    _assert_text(sheet, difficulty)
    _assert_text(sheet, proposal)


@PREFIXES
def test_it_keeps_the_supervisors_findings_as_text(workbooks, prefix):
    sheet = workbooks.oversight["Ý kiến giám sát"]
    text, recommendation = WRITTEN[prefix]

    _assert_text(sheet, text)
    _assert_text(sheet, recommendation)


def test_no_workbook_holds_a_formula(workbooks):
    for kind, book in vars(workbooks).items():
        for sheet in book.worksheets:
            formulas = [
                c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"
            ]
            assert formulas == [], f"{kind} / {sheet.title}"


@pytest.mark.parametrize("text", [t for pair in WRITTEN.values() for t in pair] + ["#N/A"])
def test_cell_write_stores_any_string_as_itself(text):
    sheet = Workbook().active

    cell = cell_write(sheet, row=1, column=1, value=text)

    assert (cell.data_type, cell.value) == ("s", text)


def test_cell_write_keeps_numbers_and_empty_cells_as_they_are():
    sheet = Workbook().active

    assert cell_write(sheet, row=1, column=1, value=42).data_type == "n"
    assert cell_write(sheet, row=1, column=2, value=None).value is None


def test_a_saved_workbook_reads_back_the_text_written():
    """Through the writer and back: the cells hold the strings, not a quote added before them,
    a carriage return included (openpyxl writes it escaped, so XML keeps it)."""
    written = [t for pair in WRITTEN.values() for t in pair] + ["#N/A", "Bình thường"]
    table = Table("Trang", "Tiêu đề", [Column("Nội dung", 100)])
    for text in written:
        table.add(text)

    sheet = load_workbook(BytesIO(workbook_bytes(SimpleNamespace(tables=[table]))))["Trang"]
    cells = [row[0] for row in sheet.iter_rows(min_row=3)]

    assert [c.data_type for c in cells] == ["s"] * len(written)
    assert [c.value for c in cells] == written
