"""The tables of a report, in one shape for the PDF and the workbook: columns with set widths
(WeasyPrint lays out a fixed table in one pass, which is most of its speed), and rows, some of
which head what follows them across the whole width."""

from collections import Counter
from dataclasses import dataclass, field

from tasks.dashboards.base import COUNT_COLUMNS
from tasks.reporting import COUNTED, REPORTING_COLUMNS, ReportingStatus
from tasks.status import FOUR_WAY, Status, rolled_up

from .as_of import AssignmentAt, ProgrammeState
from .dates import short_date
from .figures import SumCheck


@dataclass(frozen=True)
class Column:
    label: str
    width: int  # percent of the table's width
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple
    # A row spanning the whole width, heading the rows under it (a task over its bodies).
    heading: bool = False
    total: bool = False


@dataclass
class Table:
    """`sheet` names the workbook's sheet (31 characters at most, as Excel allows)."""

    sheet: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    # A table may be printed only (a summary of what the workbook lists), or kept only in
    # the workbook (every row of a list the PDF folds).
    in_pdf: bool = True
    in_workbook: bool = True

    def add(self, *cells, heading: bool = False, total: bool = False) -> None:
        self.rows.append(Row(tuple(cells), heading, total))

    @property
    def lines(self) -> list[tuple[Row, list[tuple[object, bool]]]]:
        """Each row with its cells paired with whether their column is numeric, for the
        template."""
        numeric = [column.numeric for column in self.columns]
        return [(row, list(zip(row.cells, numeric, strict=False))) for row in self.rows]

    @property
    def body_rows(self) -> int:
        return sum(1 for row in self.rows if not row.heading)


def status_label(status: Status | None) -> str:
    """The status in the words of Vietnamese task tracking: documents are built under
    Vietnamese (see rendering.render_pdf and build), whatever language their requester reads
    the site in."""
    return str(status.label) if status is not None else "Chưa phân công"


def deadline_text(assignment: AssignmentAt) -> str:
    if assignment.deadline_kind == "recurring":
        return "Thường xuyên"
    if assignment.effective_deadline is None:
        return "Chưa giao hạn"
    if assignment.extended_deadline:
        extended, original = (
            short_date(assignment.extended_deadline),
            short_date(assignment.deadline),
        )
        return f"{extended} (gia hạn từ {original})"
    return short_date(assignment.deadline)


@dataclass
class CountsRow:
    """The four-way counts of some assignments, and how many assignments there were: the
    table's row and the sentence beside it are both written from it."""

    label: str
    title: str
    counts: Counter
    # The number of assignments counted, taken from the rows themselves: the whole the
    # counts must add up to.
    rows: int = -1

    def __post_init__(self) -> None:
        if self.rows < 0:
            self.rows = sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(column, 0) for column in COUNT_COLUMNS]

    @property
    def total(self) -> int:
        return self.rows

    def n(self, status: Status) -> int:
        return self.counts.get(status, 0)

    @property
    def completed(self) -> int:
        return self.n(Status.COMPLETED_ON_TIME) + self.n(Status.COMPLETED_LATE)

    @property
    def not_completed(self) -> int:
        return self.n(Status.IN_PROGRESS) + self.n(Status.OVERDUE)

    def sentence(self) -> str:
        """ "đã hoàn thành … lượt, trong đó đúng hạn …, quá hạn …; chưa hoàn thành … lượt,
        trong đó trong hạn …, quá hạn …; thường xuyên … lượt", as the classification
        counts."""
        return (
            f"đã hoàn thành {self.completed} lượt, trong đó đúng hạn "
            f"{self.n(Status.COMPLETED_ON_TIME)}, quá hạn {self.n(Status.COMPLETED_LATE)}; "
            f"chưa hoàn thành {self.not_completed} lượt, trong đó trong hạn "
            f"{self.n(Status.IN_PROGRESS)}, quá hạn {self.n(Status.OVERDUE)}; thường xuyên "
            f"{self.n(Status.ONGOING)} lượt"
        )

    def checks(self) -> list[SumCheck]:
        name = f"{self.label} (tình trạng thực hiện)"
        return [
            SumCheck(
                name,
                self.rows,
                (
                    ("đã hoàn thành", self.completed),
                    ("chưa hoàn thành", self.not_completed),
                    ("thường xuyên", self.n(Status.ONGOING)),
                ),
            ),
            SumCheck(
                name,
                self.rows,
                tuple(
                    (str(status_label(c)), n)
                    for c, n in zip(COUNT_COLUMNS, self.cells, strict=True)
                ),
            ),
        ]


def columns_check(label: str, overall: CountsRow, rows: list[CountsRow]) -> list[SumCheck]:
    """Each column of the parts' rows sums to the overall row's column, and the rows' totals
    to its total."""
    checks = [
        SumCheck(
            f"{label}, cột {status_label(column)}",
            overall.cells[index],
            tuple((row.label, row.cells[index]) for row in rows),
        )
        for index, column in enumerate(COUNT_COLUMNS)
    ]
    checks.append(
        SumCheck(f"{label}, cột Tổng số", overall.total, tuple((r.label, r.total) for r in rows))
    )
    return checks


def four_way(statuses) -> Counter:
    """Counts in the four-way classification (with ongoing duties): "due soon" is "within the
    deadline", as the compliance overview counts it."""
    return Counter(FOUR_WAY[status] for status in statuses)


def counts_row(label: str, title: str, statuses: list[Status]) -> CountsRow:
    return CountsRow(label, title, four_way(statuses), rows=len(statuses))


def counts_by_group(state: ProgrammeState, work: list[AssignmentAt]) -> list[CountsRow]:
    by_group: dict[int | None, list[Status]] = {group.pk: [] for group in state.groups}
    for assignment in work:
        group = state.group_of.get(assignment.item_id)
        if group in by_group:
            by_group[group].append(state.status(assignment))
    return [counts_row(group.key, group.text, by_group[group.pk]) for group in state.groups]


@dataclass
class ReportingRow:
    """The reporting compliance of some assignments for one period: how many owed a report,
    and how many of them sent it on time, late, are not yet due or overdue."""

    label: str
    title: str
    counts: Counter
    rows: int

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(column, 0) for column in REPORTING_COLUMNS]

    @property
    def total(self) -> int:
        return self.rows

    def n(self, status: ReportingStatus) -> int:
        return self.counts.get(status, 0)

    @property
    def sent(self) -> int:
        return self.n(ReportingStatus.SENT_ON_TIME) + self.n(ReportingStatus.SENT_LATE)

    @property
    def not_sent(self) -> int:
        return self.n(ReportingStatus.NOT_DUE) + self.n(ReportingStatus.OVERDUE)

    def sentence(self) -> str:
        return (
            f"{self.rows} lượt phải gửi báo cáo, trong đó đã gửi {self.sent} lượt (đúng hạn "
            f"{self.n(ReportingStatus.SENT_ON_TIME)}, trễ hạn "
            f"{self.n(ReportingStatus.SENT_LATE)}); chưa gửi {self.not_sent} lượt (chưa đến "
            f"hạn {self.n(ReportingStatus.NOT_DUE)}, quá hạn gửi "
            f"{self.n(ReportingStatus.OVERDUE)})"
        )

    def checks(self) -> list[SumCheck]:
        name = f"{self.label} (tình hình gửi báo cáo)"
        return [
            SumCheck(name, self.rows, (("đã gửi", self.sent), ("chưa gửi", self.not_sent))),
            SumCheck(
                name,
                self.rows,
                tuple(
                    (str(column.label), n)
                    for column, n in zip(REPORTING_COLUMNS, self.cells, strict=True)
                ),
            ),
        ]


def reporting_row(label: str, title: str, statuses: list[ReportingStatus]) -> ReportingRow:
    return ReportingRow(label, title, Counter(COUNTED[s] for s in statuses), rows=len(statuses))


REPORTING_WORDS = {
    ReportingStatus.SENT_ON_TIME: "Gửi đúng hạn",
    ReportingStatus.SENT_LATE: "Gửi trễ hạn",
    ReportingStatus.NOT_DUE: "Chưa đến hạn",
    ReportingStatus.DUE_SOON: "Sắp đến hạn gửi",
    ReportingStatus.OVERDUE: "Quá hạn gửi",
}


def reporting_table(
    *, sheet: str, title: str, first: str, overall: ReportingRow, rows: list[ReportingRow]
) -> Table:
    table = Table(
        sheet,
        title,
        [
            Column(first, 36),
            *(Column(REPORTING_WORDS[c], 12, numeric=True) for c in REPORTING_COLUMNS),
            Column("Phải gửi", 16, numeric=True),
        ],
    )
    for row in rows:
        table.add(f"{row.label}. {row.title}" if row.title else row.label, *row.cells, row.total)
    table.add(overall.label, *overall.cells, overall.total, total=True)
    return table


def reporting_columns_check(
    label: str, overall: ReportingRow, rows: list[ReportingRow]
) -> list[SumCheck]:
    checks = [
        SumCheck(
            f"{label}, cột {REPORTING_WORDS[column]}",
            overall.cells[index],
            tuple((row.label, row.cells[index]) for row in rows),
        )
        for index, column in enumerate(REPORTING_COLUMNS)
    ]
    checks.append(
        SumCheck(f"{label}, cột Phải gửi", overall.total, tuple((r.label, r.total) for r in rows))
    )
    return checks


def counts_table(
    *, sheet: str, title: str, first: str, overall: CountsRow, rows: list[CountsRow]
) -> Table:
    table = Table(
        sheet,
        title,
        [
            Column(first, 30),
            *(Column(status_label(column), 12, numeric=True) for column in COUNT_COLUMNS),
            Column("Tổng số", 10, numeric=True),
        ],
    )
    for row in rows:
        table.add(f"{row.label}. {row.title}" if row.title else row.label, *row.cells, row.total)
    table.add(overall.label, *overall.cells, overall.total, total=True)
    return table


def task_status(state: ProgrammeState, assignments: list[AssignmentAt]) -> Status | None:
    return rolled_up([state.status(a) for a in assignments])


def quote(text: str, limit: int = 1200) -> str:
    """A report's text as quoted in a table: whole, unless it would fill a page, with the
    paragraphs its writer made (one per line; spaces within a line and empty lines dropped)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
