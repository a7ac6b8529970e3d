"""The generated report list's table (config.tables): sorted by its headings, paged, exported."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.tables import DataTable


class GeneratedReportTable(DataTable):
    caption = _("Summary reports (PDF)")

    kind = tables.Column(_("Kind of report"), accessor="kind")
    covers = tables.Column(_("Covers"), accessor="pk", order_by=("period__due_on", "as_of_date"))
    body = tables.Column(_("Body"), accessor="body", order_by=("body__position", "body__name"))
    requested_by = tables.Column(
        _("Requested by"), accessor="requested_by", order_by=("requested_by__full_name",)
    )
    requested = tables.Column(_("Requested at"), accessor="requested_at")
    state = tables.Column(_("State"), accessor="state")

    class Meta(DataTable.Meta):
        row_attrs = {"data-report": lambda record: record.pk}
        empty_text = _("No report has been built that you may read.")

    def render_kind(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("generated_report_detail", args=[record.pk]),
            record.get_kind_display(),
        )

    def render_covers(self, record):
        return render_to_string(
            "reports/includes/generatedreport_scope.html", {"report": record}
        ).strip()

    def render_body(self, value):
        return value.display_name

    def render_requested_by(self, value):
        return value.display_name

    def render_requested(self, value):
        return date_format(timezone.localtime(value), "H:i d/m/Y")

    def render_state(self, record):
        return render_to_string("reports/cells/generatedreport_state.html", {"report": record})

    def value_kind(self, record):
        return str(record.get_kind_display())

    def value_covers(self, record):
        return record.period.name if record.period else record.as_of_date

    def value_body(self, value):
        return value.display_name

    def value_requested_by(self, record):
        if record.requested_by is None:
            return str(_("Operator (command line)"))
        return record.requested_by.display_name

    def value_requested(self, value):
        return value

    def value_state(self, record):
        return str(record.get_shown_state_display())
