"""Who may see and apply reorganisations.

The acts and what they moved are read by those who read everything (the Party Office, the
Standing Committee, administrators). The drafts an ended body left unsent are shown to the
Party Office alone: their authors' memberships ended with the body, and the Party Office
looks after what stays of it. Applying an act is the administrators' (they manage bodies).
"""

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import BasePermissionPolicy, accounts_policy, holds_role

from .models import Reorganisation


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class ReorganisationPolicy(BasePermissionPolicy):
    model = Reorganisation
    VIEW = "view"
    READ_DRAFTS = "read_drafts"
    APPLY = "apply"

    def user_has_permission(self, user, action: str) -> bool:
        if not _signed_in(user):
            return False
        if action == self.VIEW:
            return holds_role(user, Role.REVIEWER, Role.STANDING_MEMBER, Role.ADMINISTRATOR)
        if action == self.READ_DRAFTS:
            return holds_role(user, Role.REVIEWER)
        if action == self.APPLY:
            return accounts_policy.user_has_permission(user, accounts_policy.MANAGE)
        return False

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet:
        if self.user_has_permission(user, action):
            return Reorganisation.objects.all()
        return Reorganisation.objects.none()


reorganisation_policy = ReorganisationPolicy()
