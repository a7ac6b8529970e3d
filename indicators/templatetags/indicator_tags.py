"""Numbers on the indicator pages, as people write them in the active language."""

from django import template

from ..assessment import fmt

register = template.Library()


@register.filter
def number(value, places: int = 2) -> str:
    """7,5 in Vietnamese, 7.5 in English; an empty value as a dash."""
    return fmt(value, places)


@register.filter
def with_unit(value, unit: str) -> str:
    if value is None or value == "":
        return "—"
    unit = unit or ""
    return f"{fmt(value)}{unit}" if unit.startswith("%") else f"{fmt(value)} {unit}".strip()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def cells(row, years):
    """An area's (occupied, occupancy) for each year of the table."""
    return row.cells(years)


@register.simple_tag
def explanations_offered(user) -> bool:
    """Whether the navigation offers the explanation requests: to the roles that may read
    some (the Party Office, the Standing Committee, bodies' officers and leaders); from the
    memberships already fetched for the request, so no query."""
    from accounts.models import Role
    from accounts.permissions import holds_role

    return holds_role(user, Role.REVIEWER, Role.STANDING_MEMBER, Role.OFFICER, Role.LEADER)


@register.simple_tag
def explanation_request_offered(user, status: str) -> bool:
    """Whether an assignment's page offers to request an explanation: the Party Office may ask
    the body to explain an overdue task. The tasks page asks here, since explanation requests
    are the indicators app's, above tasks."""
    from tasks.status import Status

    from ..permissions import Action, explanation_policy

    return status == Status.OVERDUE and explanation_policy.user_has_permission(
        user, Action.REQUEST_EXPLANATION
    )
