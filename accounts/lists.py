"""The security log's table for administrators (config.tables): sorted, paged, exported."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from config.tables import DataTable


class SecurityEventTable(DataTable):
    caption = _("Security log")

    at = tables.Column(_("Time"), accessor="at", order_by=("at", "id"))
    kind = tables.Column(_("Event"), accessor="kind")
    username = tables.Column(_("User name"), accessor="username")
    ip_address = tables.Column(_("IP address"), accessor="ip_address")
    method = tables.Column(_("Method"), accessor="method", orderable=False)
    path = tables.Column(_("Path"), accessor="path", orderable=False)
    detail = tables.Column(_("Detail"), accessor="detail", orderable=False)

    class Meta(DataTable.Meta):
        row_attrs = {"data-event": lambda record: record.pk}
        empty_text = _("No event matches these filters.")

    def render_at(self, value):
        return date_format(timezone.localtime(value), "H:i:s d/m/Y")

    def value_at(self, value):
        return value

    def value_kind(self, record):
        return str(record.get_kind_display())
