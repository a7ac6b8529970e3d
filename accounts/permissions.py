"""Who may do what: the shared base of each app's permission policy, the user's roles, and
the refusal that every view raises through.

Each app has one policy object (after Wagtail's permission policies) answering three
questions: may the user do this to this kind of thing at all (model-level, from the groups of
the roles they hold), may they do it to this object (object-level, from the grants that
services give to a group per body and role), and which objects may they do it to.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone

from .access import access_cached
from .models import Body, Membership, Role, SecurityEvent, User
from .security import security_event_record


def role_group_name(role_code: str) -> str:
    return f"role:{role_code}"


def body_role_group_name(body_code: str, role_code: str) -> str:
    return f"body:{body_code}:{role_code}"


def body_role_group(body: Body, role_code: str) -> Group:
    group, _ = Group.objects.get_or_create(name=body_role_group_name(body.code, role_code))
    return group


def active_memberships(user) -> list[Membership]:
    """The user's current memberships: once per request, and from the access cache (keyed on
    the user's access version and the day) unless they changed since."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        today = timezone.localdate()
        cached = access_cached(
            user,
            "memberships",
            lambda: list(
                Membership.objects.filter(user=user).active_on(today).select_related("body", "role")
            ),
            day=today,
        )
        user._active_memberships = cached
    return cached


def holds_role(user, *role_codes: str) -> bool:
    return any(m.role.code in role_codes for m in active_memberships(user))


def refuse(request: HttpRequest, *, what: str, hide: bool = False):
    """Log the refusal and answer 403, or 404 where admitting the object exists would leak."""
    security_event_record(kind=SecurityEvent.Kind.REFUSED, request=request, detail=what)
    if hide:
        raise Http404(what)
    raise PermissionDenied(what)


class BasePermissionPolicy:
    """Model-level first, then object-level."""

    model: type[models.Model]

    def user_has_permission(self, user, action: str) -> bool:
        raise NotImplementedError

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        raise NotImplementedError

    def instances_user_has_permission_for(self, user, action: str) -> models.QuerySet:
        raise NotImplementedError

    def require(self, request: HttpRequest, action: str, instance=None, *, hide=False) -> None:
        allowed = (
            self.user_has_permission(request.user, action)
            if instance is None
            else self.user_has_permission_for_instance(request.user, action, instance)
        )
        if not allowed:
            label = self.model._meta.label_lower
            what = f"{action} {label}" + (f" #{instance.pk}" if instance is not None else "")
            refuse(request, what=what, hide=hide)


class AccountsPolicy(BasePermissionPolicy):
    """Bodies and their roster are open to every signed-in member; administrators manage
    bodies, users, roles and memberships."""

    model = Body
    MANAGE = "manage"
    VIEW = "view"

    def user_has_permission(self, user, action: str) -> bool:
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return False
        if action == self.VIEW:
            return True
        if action == self.MANAGE:
            return user.is_superuser or holds_role(user, Role.ADMINISTRATOR)
        return False

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action: str) -> models.QuerySet:
        if self.user_has_permission(user, action):
            return Body.objects.all()
        return Body.objects.none()

    def user_may_use_admin(self, user: User) -> bool:
        return user.is_active and user.is_staff and self.user_has_permission(user, self.MANAGE)


accounts_policy = AccountsPolicy()


# The model-level permissions each role's group holds. Object-level grants on assignments
# come on top, per body (tasks/services/grants.py). role_groups_sync sets each group to exactly
# this list, so a permission taken off here leaves existing groups at the next sync.
#
# The workflow's decisions (accept or return, set deadlines, decide extensions, open and close
# periods) are the Party Office reviewer's alone: the administrator manages data in the admin
# and takes none of them (docs/permissions.md, "Who may do what").
_MANAGE = ("add", "change", "delete", "view")
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [],
    Role.LEADER: [],
    Role.SUPERVISOR: [],
    Role.REVIEWER: [
        "tasks.view_assignment",
        "tasks.review_report",
        "tasks.set_deadline",
        "tasks.manage_period",
    ],
    Role.STANDING_MEMBER: ["tasks.view_assignment"],
    Role.ADMINISTRATOR: [
        "tasks.view_assignment",
        "accounts.view_securityevent",
        *(f"notifications.{a}_reminderstep" for a in _MANAGE),
        "notifications.view_reminder",
        "notifications.view_emaildelivery",
        # Only to send a failed email again; the log itself is never edited.
        "notifications.change_emaildelivery",
        *(f"accounts.{a}_{m}" for m in ("body", "role", "membership", "user") for a in _MANAGE),
        *(
            f"programme.{a}_{m}"
            for m in ("programme", "item", "recipient", "target", "region", "regionlocality")
            for a in _MANAGE
        ),
        *(f"tasks.{a}_{m}" for m in ("assignment", "reportingperiod") for a in _MANAGE),
        *(f"indicators.{a}_industrialarea" for a in _MANAGE),
    ],
}
