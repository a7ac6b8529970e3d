"""The report's tables as an .xlsx workbook, for offices that work in Excel: one sheet per
subject, each table under its title, heading rows bold across the width.

Every cell is written through `cell_write`, which keeps text as text: openpyxl stores a string
starting with "=" as a formula (and "#N/A" as an error), so a report's difficulty typed as
`=HYPERLINK(...)` would otherwise open as a live formula in Excel."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .document import ReportDocument
from .tables import Table

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Excel's column width is in characters; a percent of the table maps to about this many.
CHARACTERS_PER_PERCENT = 1.2


def cell_write(sheet: Worksheet, *, row: int, column: int, value) -> Cell:
    """Write `value` into the cell, a string always as text, whatever it starts with ("=",
    "+", "-", "@", a tab): the cell holds the string itself, not a formula or an error, and no
    quote is added to it. Numbers, dates and empty cells keep openpyxl's types. For any export
    to a workbook, not only reports."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # Set after the value: assigning a value infers the type again (openpyxl's
        # Cell._bind_value, which turns "=..." into a formula).
        cell.data_type = TYPE_STRING
    return cell


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
