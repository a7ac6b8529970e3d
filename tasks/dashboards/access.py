"""Who may use which page: the views refuse, and the navigation offers, by the same answers."""

from dataclasses import dataclass

from accounts.models import Role
from accounts.permissions import ROLE_PERMISSIONS, active_memberships, holds_role

from ..permissions import CODENAMES, Action, assignment_policy

# The roles whose holders carry out their body's work, and those who supervise.
AGENCY_ROLES = frozenset({Role.OFFICER, Role.LEADER})
SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR})


def may_use_agency_home(user) -> bool:
    return holds_role(user, *AGENCY_ROLES)


def may_use_compliance(user) -> bool:
    return assignment_policy.user_has_permission(user, Action.VIEW)


def may_use_supervision(user) -> bool:
    return holds_role(user, *SUPERVISOR_ROLES)


def may_manage_periods(user) -> bool:
    return assignment_policy.user_has_permission(user, Action.MANAGE_PERIOD)


@dataclass(frozen=True)
class NavAccess:
    agency_home: bool
    compliance: bool
    supervision: bool
    assignments: bool
    periods: bool


def _global_view_through_roles(user, roles: set[str]) -> bool:
    """Whether the user holds the global view of assignments, read from their roles: the
    model permission comes to people only through their roles' groups (ROLE_PERMISSIONS,
    kept in step by role_groups_sync), so the navigation needs no permission query. The
    compliance page itself asks the policy."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    codename = f"tasks.{CODENAMES[Action.VIEW]}"
    return any(codename in ROLE_PERMISSIONS.get(role, ()) for role in roles)


def nav_access(user, memberships=None) -> NavAccess:
    """The pages the navigation offers the user, without a query of its own when given the
    memberships the page has already fetched (the header does), and at most the one that
    fetches them otherwise."""
    if not getattr(user, "is_authenticated", False):
        return NavAccess(False, False, False, False, False)
    if memberships is None:
        memberships = active_memberships(user)
    roles = {membership.role.code for membership in memberships}
    compliance = _global_view_through_roles(user, roles)
    return NavAccess(
        agency_home=bool(roles & AGENCY_ROLES),
        compliance=compliance,
        supervision=bool(roles & SUPERVISOR_ROLES),
        # Anyone who sees some assignment: a global viewer or a member of a body (one whose
        # body has no grant gets an empty list, which is still the truth).
        assignments=compliance or bool(memberships),
        periods=True,
    )
