"""What every report shares: the header block, the title, "Nơi nhận" and the signature, and the
sections of tables the builders fill in. The texts are the document's own Vietnamese words: a
Party report is written in Vietnamese whatever language the site is read in."""

from dataclasses import dataclass, field
from datetime import date

from programme.citations import cite_key
from programme.models import Programme
from tasks.status import Status

from .as_of import AssignmentAt, ProgrammeState
from .charts import LegendEntry
from .dates import place_and_date
from .tables import Column, Table, deadline_text, quote, status_label

PROVINCE = "Khánh Hòa"
PROVINCIAL_COMMITTEE = "TỈNH ỦY KHÁNH HÒA"


@dataclass(frozen=True)
class Signature:
    authority: str  # "T/M BAN THƯỜNG VỤ"
    title: str
    name: str


@dataclass
class Section:
    """A numbered part of the report: its heading, an opening paragraph, a chart, its tables."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: str = ""
    legend: list[LegendEntry] = field(default_factory=list)
    empty: str = ""
    # Further charts after the tables, each with its caption: (caption, SVG).
    charts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReportDocument:
    issuer_lines: list[str]
    number: str
    issued_on: date
    subject: str
    subject_note: str
    opening: str
    sections: list[Section]
    recipients: list[str]
    signature: Signature

    @property
    def place_and_date(self) -> str:
        return place_and_date(PROVINCE, self.issued_on)

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]


def programme_subject(programme: Programme) -> str:
    """ "Chương trình hành động thực hiện Nghị quyết số 23-NQ/TW, ngày 22/3/2018 của Bộ Chính
    trị" """
    resolution_date = programme.resolution_date
    return (
        f"{programme.document_type.capitalize()} thực hiện Nghị quyết số "
        f"{programme.resolution_number}, ngày {resolution_date.day}/{resolution_date.month}/"
        f"{resolution_date.year} của {programme.resolution_issuer}"
    )


def scope_note(*, period, as_of_date: date | None) -> str:
    if as_of_date is not None:
        return f"(Tính đến ngày {as_of_date:%d/%m/%Y})"
    return f"({period.name})"


def task_heading(state: ProgrammeState, item_id: int, status_text: str = "") -> str:
    item = state.items[item_id]
    text = f"{cite_key(item.key)}: {' '.join(item.text.split())}"
    return f"{text} — {status_text}" if status_text else text


def result_text(state: ProgrammeState, assignment: AssignmentAt) -> str:
    report = state.latest_accepted(assignment)
    if report is None:
        return "Chưa có báo cáo được chấp nhận."
    period = state.periods[report.period_id]
    return f"{period.name}: “{quote(report.result)}”"


ASSIGNMENT_COLUMNS = [
    Column("Cơ quan", 24),
    Column("Vai trò", 13),
    Column("Thời hạn", 13),
    Column("Tình trạng", 14),
    Column("Kết quả đã được chấp nhận gần nhất", 36),
]


def assignment_cells(state: ProgrammeState, assignment: AssignmentAt) -> tuple:
    return (
        state.bodies[assignment.body_id].name,
        assignment.role_label,
        deadline_text(assignment),
        status_label(state.status(assignment)),
        result_text(state, assignment),
    )


def overdue_table(state: ProgrammeState, work: list[AssignmentAt], *, sheet: str) -> Table:
    """The overdue assignments, longest overdue first, with days late."""
    table = Table(
        sheet,
        "Nhiệm vụ chưa hoàn thành, quá hạn",
        [
            Column("TT", 6, numeric=True),
            Column("Nhiệm vụ", 34),
            Column("Cơ quan", 30),
            Column("Thời hạn", 16),
            Column("Số ngày quá hạn", 14, numeric=True),
        ],
    )
    overdue = [a for a in work if state.status(a) == Status.OVERDUE]
    overdue.sort(key=lambda a: (a.effective_deadline, state.items[a.item_id].sequence, a.id))
    for number, assignment in enumerate(overdue, start=1):
        table.add(
            number,
            cite_key(state.items[assignment.item_id].key),
            state.bodies[assignment.body_id].name,
            deadline_text(assignment),
            (state.today - assignment.effective_deadline).days,
        )
    return table


def difficulties_tables(
    state: ProgrammeState, work: list[AssignmentAt], period, *, sheet: str
) -> list[Table]:
    """Difficulties, and proposals, from the reports sent for the period."""
    columns = [Column("Cơ quan", 26), Column("Nhiệm vụ", 20), Column("Nội dung", 54)]
    difficulties = Table(sheet, "Khó khăn, vướng mắc", list(columns))
    proposals = Table(sheet, "Kiến nghị, đề xuất", list(columns))
    if period is None:
        return [difficulties, proposals]
    for assignment in work:
        if not state.period_sent(assignment, period):
            continue
        report = state.report_for(assignment, period)
        body = state.bodies[assignment.body_id].name
        citation = cite_key(state.items[assignment.item_id].key)
        if report.difficulties:
            difficulties.add(body, citation, quote(report.difficulties))
        if report.proposals:
            proposals.add(body, citation, quote(report.proposals))
    return [difficulties, proposals]
