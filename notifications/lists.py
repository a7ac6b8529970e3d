"""The notification list's table (config.tables): the bell's page keeps its cards, and this
table gives it page numbers, a total, rows per page, the order and the exports."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.tables import DataTable

from . import notices
from .supersession import superseded_why


class NotificationTable(DataTable):
    caption = _("Notifications")
    # A notification is a card of several lines: fewer to a page.
    default_per_page = 25

    title = tables.Column(_("Notification"), accessor="pk", orderable=False)
    about = tables.Column(_("About"), accessor="pk", orderable=False)
    deadline = tables.Column(_("Deadline"), accessor="deadline")
    created = tables.Column(_("Sent"), accessor="created_at", order_by=("created_at", "id"))
    read = tables.Column(_("Read at"), accessor="read_at")
    no_longer = tables.Column(_("No longer applies"), accessor="pk", orderable=False)

    class Meta(DataTable.Meta):
        empty_text = _("You have no notifications.")

    def value_title(self, record):
        return record.title

    def value_about(self, record):
        if record.is_notice:
            return notices.notice_line(record).what
        if record.explanation_request_id:
            return record.explanation_request.question
        if record.assignment_id:
            return f"{record.assignment.item.key} · {record.assignment.item.text}"
        return ""

    def value_deadline(self, record):
        return None if record.is_notice else record.deadline

    def value_created(self, record):
        return record.occurred_at if record.is_notice and record.occurred_at else record.created_at

    def value_read(self, value):
        return value

    def value_no_longer(self, record):
        return superseded_why(record) if record.superseded_at else ""
