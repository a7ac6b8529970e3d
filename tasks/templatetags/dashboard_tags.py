"""Template helpers of the dashboards: which pages the navigation offers, and status labels."""

from django import template

from ..dashboards.access import NavAccess, nav_access
from ..reporting import ReportingStatus
from ..status import Status

register = template.Library()


@register.simple_tag
def dashboard_nav(user, memberships=None) -> NavAccess:
    """The tracking pages the user may use, as the policy answers. Pass the memberships the
    header has fetched, so the navigation adds no query for them."""
    return nav_access(user, memberships)


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
