"""The report's tables as an .xlsx workbook, for offices that work in Excel: one sheet per
subject, each table under its title, heading rows bold across the width.

Every cell is written through `config.spreadsheets.cell_write` (the lists' exports use it
too), which keeps text as text: openpyxl stores a string
starting with "=" as a formula (and "#N/A" as an error), so a report's difficulty typed as
`=HYPERLINK(...)` would otherwise open as a live formula in Excel."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from config.spreadsheets import cell_write

from .document import ReportDocument
from .tables import Table

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Excel's column width is in characters; a percent of the table maps to about this many.
CHARACTERS_PER_PERCENT = 1.2


def _sheet_title(name: str) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name)
    return cleaned[:31] or "Bang"


def _write(sheet, table: Table, start: int) -> int:
    """Write the table from row `start`; return the next free row."""
    width = len(table.columns)
    cell_write(sheet, row=start, column=1, value=table.title).font = BOLD
    header = start + 1
    for index, column in enumerate(table.columns, start=1):
        cell = cell_write(sheet, row=header, column=index, value=column.label)
        cell.font = BOLD
        cell.alignment = WRAP
        letter = get_column_letter(index)
        wanted = max(8.0, column.width * CHARACTERS_PER_PERCENT)
        sheet.column_dimensions[letter].width = max(
            sheet.column_dimensions[letter].width or 0, wanted
        )
    row_number = header
    for row in table.rows:
        row_number += 1
        if row.heading:
            cell = cell_write(sheet, row=row_number, column=1, value=row.cells[0])
            cell.font = BOLD
            cell.alignment = WRAP
            if width > 1:
                sheet.merge_cells(
                    start_row=row_number, start_column=1, end_row=row_number, end_column=width
                )
            continue
        for index, value in enumerate(row.cells, start=1):
            cell_write(sheet, row=row_number, column=index, value=value).alignment = WRAP
    return row_number + 2


def workbook_bytes(document: ReportDocument) -> bytes:
    book = Workbook()
    book.remove(book.active)
    next_row: dict[str, int] = {}
    for table in document.tables:
        title = _sheet_title(table.sheet)
        if title not in next_row:
            book.create_sheet(title)
            next_row[title] = 1
        next_row[title] = _write(book[title], table, next_row[title])
    if not book.sheetnames:
        book.create_sheet("Bang")
    out = BytesIO()
    book.save(out)
    return out.getvalue()
