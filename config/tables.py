"""The lists' tables: sorting by the column headings, pages of 25, 50 or 100 rows, and the
same rows as an Excel workbook or a CSV file. Built on django-tables2; knows no app.

A list's view builds its queryset through its app's policy and selector as before, hands it to
a `DataTable` subclass, and calls `table_configure` (sort, page and rows per page from the URL,
invalid values falling back to the defaults) or, for `?export=xlsx|csv`, `export_response`.
The page costs one query for the count and one for its rows, and the export one query for all
rows, in the page's order: rows are never fetched one by one.

The template (`includes/data_table.html`) is ours, not django-tables2's: each heading that
sorts is a link carrying `aria-sort` and a hidden "sorted ascending/descending" text, every body
cell carries `data-label="<its column heading>"` for the phone layout, and the first cell of a
row is a `th` holding the row's main link.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import django_tables2 as tables
from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .spreadsheets import cell_write, csv_text

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50
EXPORT_FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DataTable(tables.Table):
    """The base of every list's table. A subclass declares its columns; the first is the row's
    main link. `value_<column>` methods give the export's typed values (a date, a number),
    `render_<column>` the cell's HTML."""

    # What the list is, for the caption, the export's title row and its file name.
    caption = gettext_lazy("List")

    class Meta:
        template_name = "includes/data_table.html"
        attrs = {"class": "data-table"}
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"
        per_page = DEFAULT_PER_PAGE
        orderable = True
        empty_text = gettext_lazy("Nothing matches these filters.")

    per_page_choices = PER_PAGE_CHOICES
    # Rows per page when the URL names none (one of PER_PAGE_CHOICES).
    default_per_page = DEFAULT_PER_PAGE
    # A column of tick boxes, when a table has one: the row's heading cell is the next one.
    selection_column = "select"

    def __init__(self, data, *, request=None, **kwargs):
        # Not handed to django-tables2: given a request, it sorts and pages the table itself
        # (RequestConfig), with no fallback for a bad page or rows per page; table_configure
        # does it instead.
        super().__init__(data, **kwargs)
        self.request = request

    @property
    def row_header(self) -> str:
        """The column whose cell heads each row (a `th` holding the row's main link): the first
        shown, but a column of tick boxes."""
        names = [column.name for column in self.columns if column.name != self.selection_column]
        return names[0] if names else ""

    @property
    def page_links(self) -> list:
        """The page numbers to link to: the first, the last, two on each side of this page,
        and an ellipsis (the paginator's ELLIPSIS) for the gaps."""
        return list(
            self.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )

    @property
    def ellipsis(self) -> str:
        return self.paginator.ELLIPSIS

    def body_html(self) -> str | None:
        """The page's rows as the template would write them, or None to let the template
        write them through django-tables2, cell by cell. A subclass whose rows are a
        thousand cells a page may build them itself, byte for byte as the template does
        (`body_markup`)."""
        return None

    def body_markup(self, rows: Iterable[tuple[object, Iterable[tuple[str, str]]]]) -> SafeString:
        """The `tbody` content for rows of (row id attribute value, [(column name, cell
        HTML)]): the markup of `includes/data_table.html`, whitespace included."""
        headings = {column.name: conditional_escape(column.header) for column in self.columns}
        header, selection = self.row_header, self.selection_column
        parts = ["\n      "]
        for attribute, cells in rows:
            parts.append(f"\n        <tr {attribute}>\n          ")
            for name, cell in cells:
                if name == header:
                    parts.append(
                        f'\n            <th scope="row" data-label="{headings[name]}">'
                        f"{cell}</th>\n          "
                    )
                elif name == selection:
                    parts.append(f'\n            <td class="select-column">{cell}</td>\n          ')
                else:
                    parts.append(
                        f'\n            <td data-label="{headings[name]}">{cell}</td>\n          '
                    )
            parts.append("\n        </tr>\n      ")
        parts.append("\n    ")
        return mark_safe("".join(parts))


class _LenientPaginator(Paginator):
    """A page number that is not a number, or past the last page, shows the first or the last
    page rather than an error."""

    def page(self, number):
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return super().page(number)


def per_page_from(value, default: int = DEFAULT_PER_PAGE) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number in PER_PAGE_CHOICES else default


def table_configure(request, table: DataTable, *, default_sort: str = "") -> DataTable:
    """Sort and page the table as the URL asks. An unknown column falls back to the default
    order, a bad page number to the first or last page, a rows-per-page other than 25, 50 or
    100 to the table's default: a hand-edited URL answers a page, never an error."""
    table_sort(request, table, default_sort=default_sort)
    table.per_page = per_page_from(
        request.GET.get(table.per_page_field), default=table.default_per_page
    )
    table.paginate(
        paginator_class=_LenientPaginator,
        per_page=table.per_page,
        page=request.GET.get(table.page_field, 1),
    )
    return table


def table_sort(request, table: DataTable, *, default_sort: str = "") -> DataTable:
    """Order the table by the columns the URL names (`sort=deadline`, `sort=-deadline`), or
    by `default_sort` if it names none that sorts."""
    wanted = request.GET.get(table.order_by_field, "")
    names = [name for name in wanted.split(",") if name.strip()]
    valid = [
        name
        for name in names
        if name.lstrip("-") in table.columns and table.columns[name.lstrip("-")].orderable
    ]
    table.order_by = valid or (default_sort.split(",") if default_sort else ())
    return table


def export_format(request) -> str | None:
    """The export asked for ("xlsx" or "csv"), or None for the page."""
    wanted = request.GET.get("export")
    return wanted if wanted in EXPORT_FORMATS else None


# What was filtered, in words.


def filters_described(form: forms.Form | None) -> list[tuple[str, str]]:
    """(label, value) for each filter of the form that holds a value, the value as the form
    shows it (a choice's label, not its id). Invalid fields are left out, as the lists do."""
    if form is None or not form.is_bound:
        return []
    form.is_valid()
    described = []
    for name, field in form.fields.items():
        if name in form.errors:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        described.append((force_str(field.label or name), _value_words(field, value)))
    return described


def _value_words(field: forms.Field, value) -> str:
    choices = getattr(field, "choices", None) or getattr(field.widget, "choices", None)
    labels = {str(key): force_str(label) for key, label in choices or ()}
    values = value if isinstance(value, list | tuple) else [value]
    words = []
    for item in values:
        if hasattr(item, "pk"):
            words.append(str(item))
        elif isinstance(item, date):
            words.append(date_format(item, "d/m/Y"))
        else:
            words.append(labels.get(str(item), str(item)))
    return ", ".join(words)


# The export.


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    file_name: str
    rows: int


def export_rows(table: DataTable) -> tuple[list[str], list[list]]:
    """The headings and every row the table's filters select (all pages), in its order, with
    typed values: one query."""
    values = table.as_values()
    headings = [force_str(heading) for heading in next(values)]
    return headings, [list(row) for row in values]


def _province_time(moment: datetime) -> datetime:
    """The moment in the province's time zone (settings.TIME_ZONE, Asia/Ho_Chi_Minh), whatever
    zone the request activated."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def _title_lines(caption: str, filters: list[tuple[str, str]], now: datetime) -> list[str]:
    described = "; ".join(f"{label}: {value}" for label, value in filters)
    zone = timezone.get_default_timezone_name()
    return [
        caption,
        _("Filters: %(filters)s") % {"filters": described or _("none (every row you may see)")},
        _("Exported at %(time)s") % {"time": f"{date_format(now, 'H:i d/m/Y')} ({zone})"},
    ]


def _export_value(value):
    if isinstance(value, datetime):
        # Excel keeps no time zone: the province's local time, as the page shows it.
        return _province_time(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def _xlsx(title_lines: list[str], headings: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sach"
    bold = Font(bold=True)
    for number, line in enumerate(title_lines, start=1):
        cell_write(sheet, row=number, column=1, value=line).font = bold if number == 1 else None
    header_row = len(title_lines) + 2
    for column, heading in enumerate(headings, start=1):
        cell = cell_write(sheet, row=header_row, column=column, value=heading)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            value = _export_value(value)
            cell = cell_write(sheet, row=header_row + offset, column=column, value=value)
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value):
    value = _export_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return csv_text(force_str(value))


def _csv(title_lines: list[str], headings: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in title_lines:
        writer.writerow([csv_text(line)])
    writer.writerow([])
    writer.writerow([csv_text(heading) for heading in headings])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # The byte-order mark makes Excel read the file as UTF-8 (Vietnamese letters).
    return buffer.getvalue().encode("utf-8-sig")


def ascii_fallback(name: str) -> str:
    """The file name without diacritics, for clients that do not read `filename*`."""
    name = name.replace("đ", "d").replace("Đ", "D")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")
    return name or "export"


def file_name_for(caption: str, filters: list[tuple[str, str]], now: datetime, fmt: str) -> str:
    """ "<list> - <filters> - <yyyy-mm-dd HHhMM>.<fmt>", the filters shortened."""
    described = ", ".join(value for _label, value in filters)
    if len(described) > 60:
        described = described[:59] + "…"
    parts = [caption, described, _province_time(now).strftime("%Y-%m-%d %Hh%M")]
    stem = " - ".join(part for part in parts if part)
    stem = re.sub(r'[\\/:*?"<>|\r\n]+', " ", stem)
    return unicodedata.normalize("NFC", f"{stem}.{fmt}")


def attachment_header(file_name: str) -> str:
    """Content-Disposition with an ASCII file name and the real one per RFC 5987."""
    return (
        f'attachment; filename="{ascii_fallback(file_name)}"; '
        f"filename*=UTF-8''{quote(file_name, safe='')}"
    )


def export_build(
    table: DataTable,
    *,
    fmt: str,
    filters: Iterable[tuple[str, str]] = (),
    caption: str | None = None,
) -> Export:
    """The rows of `table` (all pages, in its order) as an .xlsx or .csv file, under a title
    saying what was filtered and when it was exported."""
    now = _province_time(timezone.now())
    caption = force_str(caption or table.caption)
    filters = list(filters)
    headings, rows = export_rows(table)
    lines = _title_lines(caption, filters, now)
    if fmt == "xlsx":
        content, content_type = _xlsx(lines, headings, rows), XLSX_TYPE
    else:
        content, content_type = _csv(lines, headings, rows), "text/csv; charset=utf-8"
    return Export(content, content_type, file_name_for(caption, filters, now, fmt), len(rows))


def export_response(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_header(export.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
