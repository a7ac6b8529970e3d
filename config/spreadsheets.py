"""Writing cells that people open in Excel: text stays text.

Excel, LibreOffice and Google Sheets read a cell starting with "=", "+", "-" or "@" as a
formula (and a tab or carriage return before one as well), so a finding typed as
`=HYPERLINK("http://…","…")` would open as a live link or run as a formula. Every workbook
and CSV file the product writes goes through these two helpers."""

from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet may read as the start of a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def csv_text(value: str) -> str:
    """A text cell for a CSV file: a CSV file has no cell types, so a text that a spreadsheet
    would read as a formula is prefixed with an apostrophe, which spreadsheets show as text
    and do not display."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
