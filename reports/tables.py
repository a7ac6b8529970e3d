"""The tables of a report, in one shape for the PDF and the workbook: columns with set widths
(WeasyPrint lays out a fixed table in one pass, which is most of its speed), and rows, some of
which head what follows them across the whole width."""

from collections import Counter
from dataclasses import dataclass, field

from tasks.dashboards.base import COUNT_COLUMNS
from tasks.status import FOUR_WAY, Status, rolled_up

from .as_of import AssignmentAt, ProgrammeState
from .dates import short_date


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
    label: str
    title: str
    counts: Counter

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(column, 0) for column in COUNT_COLUMNS]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def four_way(statuses) -> Counter:
    """Counts in the four-way classification (with ongoing duties): "due soon" is "within the
    deadline", as the compliance overview counts it."""
    return Counter(FOUR_WAY[status] for status in statuses)


def counts_by_group(state: ProgrammeState, work: list[AssignmentAt]) -> list[CountsRow]:
    by_group: dict[int | None, list[Status]] = {group.pk: [] for group in state.groups}
    for assignment in work:
        group = state.group_of.get(assignment.item_id)
        if group in by_group:
            by_group[group].append(state.status(assignment))
    return [
        CountsRow(group.key, group.text, four_way(by_group[group.pk])) for group in state.groups
    ]


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
    """A report's text as quoted in a table: whole, unless it would fill a page."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
