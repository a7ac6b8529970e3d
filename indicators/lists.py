"""The explanation request list's table (config.tables): sorted by its headings, paged,
exported. The default order is the list's own: open first, then by due date."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.tables import DataTable


def _about(record) -> str:
    if record.target is not None:
        return record.target.display_name
    return f"{record.assignment.item.key} · {record.assignment.item.text}"


class ExplanationTable(DataTable):
    caption = _("Explanation requests")

    about = tables.Column(_("About"), accessor="pk", order_by=("target_id", "assignment_id"))
    body = tables.Column(
        _("Body asked"), accessor="body", order_by=("body__position", "body__name")
    )
    question = tables.Column(_("Question"), accessor="question", visible=False)
    due_on = tables.Column(_("Explanation due on"), accessor="due_on")
    state = tables.Column(_("State"), accessor="state", order_by=("state", "due_on", "-id"))
    answer = tables.Column(_("The explanation"), accessor="answer", visible=False)

    class Meta(DataTable.Meta):
        row_attrs = {"data-explanation": lambda record: record.pk}
        empty_text = _("No explanation request.")

    def __init__(self, data, *, today, **kwargs):
        self.today = today
        super().__init__(data, **kwargs)

    def render_about(self, record):
        words = _about(record).split()
        text = " ".join(words[:14]) + (" …" if len(words) > 14 else "")
        return format_html(
            '<a href="{}">{}</a>', reverse("explanation_detail", args=[record.pk]), text
        )

    def render_body(self, value):
        return value.display_name

    def render_due_on(self, record, value):
        late = ""
        if record.state == "open" and value < self.today:
            late = format_html(
                ' <span class="tag tag--status tag--overdue">{}</span>', _("Past due")
            )
        return format_html(
            '<time datetime="{}">{}</time>{}', value.isoformat(), date_format(value, "d/m/Y"), late
        )

    def render_state(self, record):
        return format_html(
            '<span class="tag tag--report tag--{}">{}</span>',
            record.state,
            record.get_state_display(),
        )

    def value_about(self, record):
        return _about(record)

    def value_body(self, value):
        return value.display_name

    def value_due_on(self, value):
        return value

    def value_state(self, record):
        return str(record.get_state_display())
