"""The tables of the tasks app's lists: assignments and progress reports (config.tables).

Each cell is drawn from the row's own fields, fetched with the page's one query (the selectors
select_related what the cells read), so no cell costs a query. `value_*` methods give the
exports typed values: dates as dates, percentages as numbers."""

from datetime import date

import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _

from config.tables import DataTable

from .cells import deadline_cell, path_to, period_report_cell, status_tag
from .dashboards.assignment_list import ROLE, assignment_list_ordered
from .dashboards.base import Sort, with_days
from .models import DeadlineKind
from .reporting import ReportingStatus
from .status import Status

# What django-tables2 shows as the column's default ("—") rather than calling its render_.
EMPTY = (None, "")


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return ""


class AssignmentTable(DataTable):
    """The assignment list. The report columns are shown only for a chosen period
    (`period=True`); a view may add columns of its own with `extra_columns`."""

    caption = _("Assignments")

    # A tick box per row, for the Party Office's bulk steps; never in an export.
    select = tables.Column(_("Select"), accessor="pk", orderable=False, exclude_from_export=True)
    task = tables.Column(_("Task"), accessor="item", orderable=True)
    task_text = tables.Column(_("Task text"), accessor="item__text", visible=False)
    body = tables.Column(_("Body"), accessor="body", orderable=True)
    role = tables.Column(_("Role"), accessor="role", orderable=True)
    deadline = tables.Column(_("Deadline"), accessor="pk", orderable=True)
    days_late = tables.Column(_("Days late"), accessor="pk", visible=False)
    status = tables.Column(_("Status"), accessor="status", orderable=True)
    period_report = tables.Column(_("Report for the period"), accessor="pk", orderable=False)
    reporting_status = tables.Column(
        _("Reporting status for the period"), accessor="pk", visible=False
    )

    class Meta(DataTable.Meta):
        row_attrs = {"data-assignment": lambda record: record.pk}
        empty_text = _("No assignment matches these filters.")

    def __init__(self, data, *, today: date, period=None, select: bool = False, **kwargs):
        self.today = today
        self.period = period
        exclude = list(kwargs.pop("exclude", ()))
        if period is None:
            exclude += ["period_report", "reporting_status"]
        if not select:
            exclude.append("select")
        super().__init__(data, exclude=exclude, **kwargs)
        if period is not None:
            self.columns["period_report"].column.verbose_name = _("Report for %(name)s") % {
                "name": period.name
            }

    # Order: the selector's orderings, one per sortable column.

    def _ordered(self, queryset, sort: str, descending: bool):
        return assignment_list_ordered(queryset, sort=sort, descending=descending), True

    def order_task(self, queryset, is_descending):
        return self._ordered(queryset, Sort.TASK, is_descending)

    def order_body(self, queryset, is_descending):
        return self._ordered(queryset, Sort.BODY, is_descending)

    def order_role(self, queryset, is_descending):
        return self._ordered(queryset, ROLE, is_descending)

    def order_deadline(self, queryset, is_descending):
        return self._ordered(queryset, Sort.DEADLINE, is_descending)

    def order_status(self, queryset, is_descending):
        return self._ordered(queryset, Sort.STATUS, is_descending)

    # The cells.

    def render_select(self, record):
        return format_html(
            '<input type="checkbox" name="ids" value="{}" id="select-{}" aria-label="{}">',
            record.pk,
            record.pk,
            _("Select %(task)s, %(body)s")
            % {"task": record.item.citation, "body": record.body.display_name},
        )

    def render_task(self, record):
        return format_html(
            '<a href="{}">{}</a> <span class="task-text">{}</span>',
            path_to("assignment_detail", record.pk),
            record.item.citation,
            _short(record.item.text, 18),
        )

    def render_body(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            path_to("body_detail", record.body.code),
            record.body.display_name,
        )

    def render_deadline(self, record):
        with_days([record], today=self.today)
        return deadline_cell(record)

    def render_status(self, value):
        return status_tag(value)

    def render_period_report(self, record):
        return period_report_cell(record)

    # The page's rows, built here rather than cell by cell through django-tables2 (a page of
    # a hundred rows is a thousand cells): the same markup, byte for byte.

    def body_html(self):
        render = {
            "select": self.render_select,
            "task": self.render_task,
            "body": self.render_body,
            "role": lambda record: conditional_escape(record.get_role_display()),
            "deadline": self.render_deadline,
            "status": lambda record: (
                "—" if record.status in EMPTY else self.render_status(record.status)
            ),
            "period_report": self.render_period_report,
        }
        names = [column.name for column in self.columns]
        if not set(names) <= set(render):
            return None  # a view's extra column: the template draws the rows
        records = [row.record for row in self.page.object_list]
        with_days(records, today=self.today)
        return self.body_markup(
            (
                format_html('data-assignment="{}"', record.pk),
                [(name, render[name](record)) for name in names],
            )
            for record in records
        )

    # The exports' values.

    def value_task(self, record):
        return record.item.citation

    def value_body(self, record):
        return record.body.display_name

    def value_deadline(self, record):
        if record.deadline_kind == DeadlineKind.FIXED:
            return record.effective_deadline_on
        return str(DeadlineKind(record.deadline_kind).label)

    def value_days_late(self, record):
        with_days([record], today=self.today)
        return record.days_late

    def value_status(self, value):
        return _label(Status, value)

    def value_period_report(self, record):
        state = getattr(record, "period_report_state", None)
        return {
            "submitted": str(_("Submitted, awaiting review")),
            "accepted": str(_("Accepted")),
            "draft": str(_("Not submitted (draft)")),
            "returned": str(_("Not submitted (returned)")),
        }.get(state, str(_("Not submitted")))

    def value_reporting_status(self, record):
        return _label(ReportingStatus, getattr(record, "reporting_status", ""))


def _short(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


class ProgressReportTable(DataTable):
    """The progress report list: the first cell links to the report."""

    caption = _("Progress reports")

    report = tables.Column(
        _("Task"),
        accessor="pk",
        order_by=("assignment__item__programme_id", "assignment__item__sequence"),
    )
    task_text = tables.Column(_("Task text"), accessor="assignment__item__text", visible=False)
    body = tables.Column(
        _("Body"), accessor="assignment__body", order_by=("assignment__body__position",)
    )
    period = tables.Column(_("Reporting period"), accessor="period", order_by=("period__due_on",))
    state = tables.Column(_("State"), accessor="state")
    sent = tables.Column(_("First sent"), accessor="first_sent_at")
    timing = tables.Column(_("Sent on time or late"), accessor="reporting_status")
    percent_complete = tables.Column(_("Percent complete (%)"), accessor="percent_complete")
    claims_completion = tables.Column(
        _("Reports the task completed"), accessor="claims_completion", visible=False
    )
    result = tables.Column(_("Result achieved"), accessor="result", visible=False)
    difficulties = tables.Column(_("Difficulties"), accessor="difficulties", visible=False)
    proposals = tables.Column(_("Proposals"), accessor="proposals", visible=False)
    updated = tables.Column(_("Last changed"), accessor="updated_at")

    class Meta(DataTable.Meta):
        row_attrs = {"data-report": lambda record: record.pk}

    def order_sent(self, queryset, is_descending):
        sent = F("first_sent_at")
        key = sent.desc(nulls_last=True) if is_descending else sent.asc(nulls_last=True)
        return queryset.order_by(key, "-pk" if is_descending else "pk"), True

    def order_body(self, queryset, is_descending):
        keys = ["assignment__body__position", "assignment__body__name"]
        keys = [f"-{k}" for k in keys] if is_descending else keys
        return queryset.order_by(*keys, "assignment__item__sequence", "pk"), True

    def render_report(self, record):
        return format_html(
            '<a href="{}">{}</a> <span class="task-text">{}</span>',
            reverse("report_detail", args=[record.pk]),
            record.assignment.item.citation,
            _short(record.assignment.item.text, 12),
        )

    def render_body(self, record):
        return record.assignment.body.display_name

    def render_period(self, record):
        return record.period.name

    def render_state(self, record):
        return format_html(
            '<span class="tag tag--state tag--{}">{}</span>',
            record.state,
            record.get_state_display(),
        )

    def render_sent(self, value):
        return date_format(timezone.localtime(value), "H:i d/m/Y")

    def render_timing(self, value):
        return render_to_string("tasks/includes/reporting_status.html", {"status": value})

    def render_percent_complete(self, value):
        return f"{value}%"

    def render_updated(self, value):
        return date_format(timezone.localtime(value), "H:i d/m/Y")

    def value_report(self, record):
        return record.assignment.item.citation

    def value_body(self, record):
        return record.assignment.body.display_name

    def value_period(self, record):
        return record.period.name

    def value_state(self, record):
        return str(record.get_state_display())

    def value_sent(self, value):
        return value

    def value_timing(self, value):
        return _label(ReportingStatus, value)

    def value_percent_complete(self, value):
        return value

    def value_updated(self, value):
        return value


class PeriodTable(DataTable):
    """The reporting periods (rows of tasks.dashboards.periods.PeriodRow, a list: sorted and
    paged in memory, no query of its own). The counts are shown to those who see some
    assignment, the actions to the Party Office."""

    caption = _("Reporting periods")

    name = tables.Column(_("Period"), accessor="period__name", order_by=("period__due_on",))
    kind = tables.Column(_("Kind of period"), accessor="period__kind")
    covers = tables.Column(_("Covers"), accessor="period__starts_on")
    due = tables.Column(_("Reports due on"), accessor="period__due_on")
    state = tables.Column(_("State"), accessor="period__state")
    programme = tables.Column(_("Programme"), accessor="period__programme__short_title")
    expected = tables.Column(_("Expected"), accessor="counts__expected")
    submitted = tables.Column(_("Submitted, awaiting review"), accessor="counts__submitted")
    accepted = tables.Column(_("Accepted"), accessor="counts__accepted")
    action = tables.Column(
        _("Action"), accessor="period__pk", orderable=False, exclude_from_export=True
    )

    class Meta(DataTable.Meta):
        row_attrs = {"data-period": lambda record: record.period.pk}
        empty_text = _("No reporting period has been set up yet.")

    def __init__(self, rows, *, shows_counts: bool, may_manage: bool, **kwargs):
        exclude = []
        if not shows_counts:
            exclude += ["expected", "submitted", "accepted"]
        if not may_manage:
            exclude.append("action")
        if len({row.period.programme_id for row in rows}) < 2:
            exclude.append("programme")
        super().__init__(rows, exclude=exclude, **kwargs)

    def render_name(self, record):
        period = record.period
        return format_html(
            '<a href="{}">{}</a>', reverse("period_detail", args=[period.pk]), period.name
        )

    def render_kind(self, record):
        return record.period.get_kind_display()

    def render_covers(self, record):
        period = record.period
        return format_html(
            '<span class="nowrap">{} – {}</span>',
            date_format(period.starts_on, "d/m/Y"),
            date_format(period.ends_on, "d/m/Y"),
        )

    def render_due(self, value):
        return format_html('<span class="nowrap">{}</span>', date_format(value, "d/m/Y"))

    def render_state(self, record):
        period = record.period
        return format_html(
            '<span class="tag tag--period tag--{}">{}</span>',
            period.state,
            period.get_state_display(),
        )

    def _count(self, kind: str, value):
        return format_html('<span data-count="{}">{}</span>', kind, value)

    def render_expected(self, value):
        return self._count("expected", value)

    def render_submitted(self, value):
        return self._count("submitted", value)

    def render_accepted(self, value):
        return self._count("accepted", value)

    def render_action(self, record):
        return render_to_string(
            "tasks/includes/dash_period_actions.html",
            {"period": record.period, "may_manage": True},
            request=self.request,
        )

    def value_name(self, record):
        return record.period.name

    def value_kind(self, record):
        return str(record.period.get_kind_display())

    def value_covers(self, record):
        return f"{record.period.starts_on:%d/%m/%Y} – {record.period.ends_on:%d/%m/%Y}"

    def value_due(self, value):
        return value

    def value_state(self, record):
        return str(record.period.get_state_display())
