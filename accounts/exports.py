"""A list's page, or its rows as a file: the one way every list answers `?export=xlsx|csv`.

The file holds exactly the rows the page's filters select, through the same queryset (the
app's policy and selector), in the page's order, and each export is written to the security
log with what was filtered and how many rows left the system."""

from django.http import HttpResponse
from django.shortcuts import render

from config.tables import (
    DataTable,
    export_build,
    export_format,
    export_response,
    filters_described,
    table_configure,
    table_sort,
)

from .models import SecurityEvent
from .security import security_event_record


def list_export(request, table: DataTable, *, fmt: str, form=None, default_sort: str = ""):
    """The table's rows, all pages, as a file; logged."""
    table_sort(request, table, default_sort=default_sort)
    filters = filters_described(form)
    export = export_build(table, fmt=fmt, filters=filters)
    described = "; ".join(f"{label}: {value}" for label, value in filters) or "-"
    security_event_record(
        kind=SecurityEvent.Kind.EXPORT,
        request=request,
        detail=f"{export.file_name} ({export.rows} rows; {described})",
    )
    return export_response(export)


def list_response(
    request,
    table: DataTable,
    *,
    template_name: str,
    context: dict,
    form=None,
    default_sort: str = "",
) -> HttpResponse:
    """The page of the list, sorted and paged as the URL asks, or, for `?export=`, the file."""
    fmt = export_format(request)
    if fmt is not None:
        return list_export(request, table, fmt=fmt, form=form, default_sort=default_sort)
    table_configure(request, table, default_sort=default_sort)
    return render(request, template_name, {**context, "table": table, "form": form})
