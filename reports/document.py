"""What every report shares: the letterhead, the title, the outline of numbered sections, "Nơi
nhận" and the signature block, the checks its counts must pass, and the sections of tables the
builders fill in. The texts are the document's own Vietnamese words: a Party report is written
in Vietnamese whatever language the site is read in."""

from dataclasses import dataclass, field
from datetime import date

from programme.citations import cite_key
from programme.models import Programme
from tasks.models import ReportingPeriod
from tasks.status import Status

from .as_of import AssignmentAt, ProgrammeState
from .charts import LegendEntry
from .dates import place_and_date
from .figures import SumCheck
from .letterheads import PROVINCE, Letterhead, SignatureBlock
from .tables import (
    Column,
    CountsRow,
    ReportingRow,
    Table,
    deadline_text,
    quote,
    reporting_columns_check,
    reporting_row,
    reporting_table,
    status_label,
)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]
LETTERS = "abcdefghiklmnopqrstuvxy"  # the Vietnamese alphabet's order, as documents letter


@dataclass
class Section:
    """A part of the report: its title, opening paragraphs, a chart, its tables, and parts of
    its own. Its number comes from its place in the report's outline (`outline`), never from
    the programme's numbering, which the text cites instead."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: str = ""
    legend: list[LegendEntry] = field(default_factory=list)
    # One line saying there is nothing to show, instead of empty tables and charts.
    empty: str = ""
    # Further charts after the tables, each with its caption: (caption, SVG).
    charts: list[tuple[str, str]] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)
    number: str = ""
    level: int = 1

    @property
    def heading(self) -> str:
        if not self.number:
            return self.title
        return f"{self.number}) {self.title}" if self.level >= 3 else f"{self.number}. {self.title}"

    @property
    def pdf_tables(self) -> list[Table]:
        return [table for table in self.tables if table.in_pdf]


def outline(sections: list[Section], level: int = 1) -> None:
    """Number the sections by the report's own outline: I, II, III; then 1, 2, 3; then a, b,
    c."""
    for index, section in enumerate(sections):
        section.level = level
        if level == 1:
            section.number = ROMAN[index]
        elif level == 2:
            section.number = str(index + 1)
        else:
            section.number = LETTERS[index % len(LETTERS)]
        outline(section.subsections, level + 1)


def _walk(sections: list[Section]):
    for section in sections:
        yield section
        yield from _walk(section.subsections)


@dataclass
class ReportDocument:
    letterhead: Letterhead
    issued_on: date
    subject: str
    subject_note: str
    opening: str
    sections: list[Section]
    recipients: list[str]
    signature: SignatureBlock
    # The sums the counts must pass before the report is rendered (figures.sums_check).
    sums: list[SumCheck] = field(default_factory=list)

    def __post_init__(self) -> None:
        outline(self.sections)

    @property
    def number(self) -> str:
        return self.letterhead.number

    @property
    def issuer_lines(self) -> list[tuple[str, bool]]:
        return self.letterhead.lines

    @property
    def motto(self) -> tuple[str, ...]:
        return self.letterhead.motto

    @property
    def place_and_date(self) -> str:
        return place_and_date(PROVINCE, self.issued_on)

    @property
    def all_sections(self) -> list[Section]:
        return list(_walk(self.sections))

    @property
    def tables(self) -> list[Table]:
        """The tables of the workbook, in the document's order."""
        return [t for s in self.all_sections for t in s.tables if t.in_workbook]


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


def group_citation(group) -> str:
    """ "Nhóm nhiệm vụ 3 (mục III.3 của Chương trình)": a task group by its place in the
    programme, never as a section number of the report."""
    number = group.key.rsplit(".", 1)[-1]
    return f"Nhóm nhiệm vụ {number} (mục {group.key} của Chương trình)"


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
    Column("Cơ quan", 22),
    Column("Vai trò", 13),
    Column("Thời hạn", 15),
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


def is_unchanged_duty(
    state: ProgrammeState, assignment: AssignmentAt, period: ReportingPeriod | None
) -> bool:
    """An ongoing duty with nothing to tell: no report ever accepted and none sent for the
    period. A long list of these says one thing per body, so the PDF folds them into a count
    per body; the workbook keeps every row."""
    return (
        state.status(assignment) == Status.ONGOING
        and state.latest_accepted(assignment) is None
        and (period is None or state.report_for(assignment, period) is None)
    )


def folded_duties_table(
    state: ProgrammeState, folded: list[AssignmentAt], *, sheet: str
) -> Table | None:
    """One count per body of the unchanged ongoing duties, pointing to the workbook's sheet
    that lists them."""
    if not folded:
        return None
    counts: dict[int, int] = {}
    for assignment in folded:
        counts[assignment.body_id] = counts.get(assignment.body_id, 0) + 1
    table = Table(
        sheet,
        f"Nhiệm vụ thường xuyên chưa có báo cáo được chấp nhận và chưa gửi báo cáo kỳ này "
        f"(danh sách chi tiết tại trang “{sheet}” của tệp Excel kèm theo)",
        [Column("TT", 8, numeric=True), Column("Cơ quan", 70), Column("Số lượt", 22, True)],
        in_workbook=False,
    )
    bodies = sorted(counts, key=lambda pk: (state.bodies[pk].position, state.bodies[pk].name))
    for number, body_id in enumerate(bodies, start=1):
        table.add(number, state.bodies[body_id].name, counts[body_id])
    table.add("", "Cộng", len(folded), total=True)
    return table


def overdue_table(state: ProgrammeState, work: list[AssignmentAt], *, sheet: str) -> Table:
    """The overdue assignments, longest overdue first, with days late."""
    table = Table(
        sheet,
        "Nhiệm vụ chưa hoàn thành, quá hạn",
        [
            Column("TT", 6, numeric=True),
            Column("Nhiệm vụ", 32),
            Column("Cơ quan", 28),
            Column("Thời hạn", 20),
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


def reporting_section(
    state: ProgrammeState,
    period: ReportingPeriod | None,
    *,
    owing: list[AssignmentAt],
    by_group: bool,
    label: str,
    sums: list[SumCheck],
) -> Section:
    """The reporting compliance of the period (tasks.reporting's rule): how many reports were
    owed, sent on time, sent late, not yet due and overdue, overall and by task group, with
    the sums checked."""
    section = Section(title="TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ")
    if period is None:
        section.empty = "Chưa có kỳ báo cáo nào đến hạn."
        return section
    statuses = {a.id: state.reporting_status(a, period) for a in owing}
    overall = reporting_row(label, "", list(statuses.values()))
    rows: list[ReportingRow] = []
    if by_group:
        for group in state.groups:
            mine = [statuses[a.id] for a in owing if state.group_of.get(a.item_id) == group.pk]
            rows.append(reporting_row(group.key, group.text, mine))
        sums.extend(reporting_columns_check("Tình hình gửi báo cáo theo nhóm", overall, rows))
        for row in rows:
            sums.extend(row.checks())
    sums.extend(overall.checks())
    section.paragraphs.append(
        f"Kỳ báo cáo {period.name} (hạn gửi báo cáo ngày {period.due_on:%d/%m/%Y}): "
        f"{overall.sentence()}."
    )
    if not owing:
        section.empty = "Không có nhiệm vụ nào phải gửi báo cáo trong kỳ."
        return section
    section.tables.append(
        reporting_table(
            sheet="Gửi báo cáo",
            title=f"Tình hình gửi báo cáo {period.name}",
            first="Nhóm nhiệm vụ (mục của Chương trình)" if by_group else "Phạm vi",
            overall=overall,
            rows=rows,
        )
    )
    return section


def summary_paragraph(lead: str, overall: CountsRow, today: date, *, whose: str = "") -> str:
    """The sentence of the four-way counts, from the row the table prints: "<lead> 140 lượt
    phân công thực hiện cho các cơ quan, đơn vị; đến ngày …, đã hoàn thành …"."""
    whose = whose or "phân công thực hiện cho các cơ quan, đơn vị"
    return f"{lead} {overall.total} lượt {whose}; đến ngày {today:%d/%m/%Y}, {overall.sentence()}."
