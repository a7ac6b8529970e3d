"""Template helpers of the dashboards: which pages the navigation offers, and status labels."""

from django import template
from django.utils import timezone

from ..dashboards.access import NavAccess, nav_access
from ..dashboards.base import detail_path
from ..reporting import ReportingStatus, report_reporting_status
from ..status import Status

register = template.Library()


@register.simple_tag
def dashboard_nav(user, memberships=None) -> NavAccess:
    """The tracking pages the user may use, as the policy answers. Pass the memberships the
    header has fetched, so the navigation adds no query for them."""
    return nav_access(user, memberships)


@register.filter
def path_of(pk: int, name: str) -> str:
    """{{ pk|path_of:"assignment_detail" }} writes what {% url "assignment_detail" pk %} does,
    without reversing the path for each row of a long table."""
    return detail_path(name, pk)


@register.filter
def status_label(code: str) -> str:
    """ "overdue" -> "Not completed, overdue", in the active language."""
    try:
        return Status(code).label
    except ValueError:
        return ""


@register.filter
def reporting_status_label(code: str) -> str:
    """ "sent_late" -> "Sent late", in the active language."""
    try:
        return ReportingStatus(code).label
    except ValueError:
        return ""


@register.inclusion_tag("tasks/includes/report_timeliness.html")
def report_timeliness(report) -> dict:
    """Whether a report was sent on time for its period, judged from its first submission, and
    how many days late; nothing for a draft (it is not sent). Needs `report.period`."""
    status, late = report_reporting_status(report, today=timezone.localdate())
    sent = status in (ReportingStatus.SENT_ON_TIME, ReportingStatus.SENT_LATE)
    return {"report": report, "status": status if sent else None, "days_late": late}
