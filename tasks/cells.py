"""The assignment list's cells as HTML, written in Python: byte for byte what the cell templates
(templates/tasks/cells/, templates/tasks/includes/dash_*.html) write, which the other pages
still include. A page of the list is a hundred rows of them; through the template engine they
were most of the page's time. tasks/tests/test_cells.py holds the two to the same output for
every kind of value."""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from .models import DeadlineKind
from .reporting import ReportingStatus
from .status import Status

# An argument no path holds otherwise: the path is split around it once, and each row's link is
# the two halves around the row's own argument.
_PLACEHOLDER = "9081726354"
# What reverse() leaves unquoted in an argument (django.urls.resolvers).
_SAFE = "!$&'()*+,;=/~:@"


@lru_cache(maxsize=64)
def _path_halves(name: str, script_prefix: str) -> tuple[str, str]:
    # Keyed by the script prefix, the only other thing the path depends on.
    before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    return before, after


def path_to(name: str, argument) -> str:
    """reverse(name, args=[argument]) for a route of one argument, without resolving the route
    each time."""
    before, after = _path_halves(name, get_script_prefix())
    return before + quote(str(argument), safe=_SAFE) + after


def _label(choices, code) -> str:
    try:
        return choices(code).label
    except ValueError:
        return ""


def status_tag(status) -> SafeString:
    """tasks/includes/dash_status.html"""
    return format_html(
        '<span class="tag tag--status tag--{}">{}</span>\n', status, _label(Status, status)
    )


def reporting_status_tag(status) -> SafeString:
    """tasks/includes/reporting_status.html"""
    return format_html(
        '<span class="tag tag--reporting tag--report-{}">{}</span>\n',
        status,
        _label(ReportingStatus, status),
    )


def _date(value) -> str:
    # As the |date filter: nothing for no date.
    return "" if value in (None, "") else date_format(value, "d/m/Y")


def _deadline(assignment) -> str:
    """tasks/includes/dash_deadline.html"""
    if assignment.deadline_kind == DeadlineKind.FIXED:
        markup = format_html(
            '<span class="nowrap">{}</span>', _date(assignment.effective_deadline_on)
        )
        if assignment.extended_deadline:
            original = conditional_escape(_date(assignment.deadline))
            markup += format_html(
                ' <span class="deadline-original">({})</span>',
                mark_safe(gettext("extended from %(date)s") % {"date": original}),
            )
        return markup + "\n"
    if assignment.deadline_kind == DeadlineKind.RECURRING:
        return conditional_escape(gettext("Recurring duty")) + "\n"
    return conditional_escape(gettext("No deadline")) + "\n"


def _counted(singular: str, plural: str, number: int) -> str:
    # As {% blocktranslate count %} writes it: the number localized and escaped, the
    # translation as it is.
    return ngettext(singular, plural, number) % {"counter": conditional_escape(localize(number))}


def _days(assignment) -> str:
    """tasks/includes/dash_days.html"""
    if assignment.days_left is None:
        markup = "—"
    elif assignment.days_late:
        markup = (
            '<span class="days days--late">'
            + _counted("%(counter)s day late", "%(counter)s days late", assignment.days_late)
            + "</span>"
        )
    elif assignment.days_left == 0:
        markup = (
            '<span class="days days--today">' + conditional_escape(gettext("due today")) + "</span>"
        )
    else:
        markup = (
            '<span class="days">'
            + _counted("%(counter)s day left", "%(counter)s days left", assignment.days_left)
            + "</span>"
        )
    return markup + "\n"


def deadline_cell(assignment) -> SafeString:
    """tasks/cells/assignment_deadline.html; the assignment carries its days (with_days)."""
    markup = _deadline(assignment)
    if assignment.days_left is not None:
        markup += "<br>" + _days(assignment)
    return mark_safe(markup + "\n")


_REPORT_STATES = {
    "submitted": "Submitted, awaiting review",
    "accepted": "Accepted",
    "draft": "Not submitted (draft)",
    "returned": "Not submitted (returned)",
}


def _period_report(assignment) -> str:
    """tasks/includes/dash_period_report.html"""
    state = getattr(assignment, "period_report_state", None)
    words = _REPORT_STATES.get(state) if isinstance(state, str) else None
    if words is None:
        return conditional_escape(gettext("Not submitted")) + "\n"
    return (
        format_html(
            '<a href="{}">{}</a>',
            path_to("report_detail", assignment.period_report_id),
            gettext(words),
        )
        + "\n"
    )


def period_report_cell(assignment) -> SafeString:
    """tasks/cells/assignment_period_report.html"""
    status = getattr(assignment, "reporting_status", "")
    return mark_safe(_period_report(assignment) + "<br>" + reporting_status_tag(status) + "\n")
