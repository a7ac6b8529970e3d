"""The feeds app's permission policy. A feed shows only what the tasks and indicators
policies let its person read (feeds.selectors), so holding one is open to every signed-in
person; someone with no role gets an empty calendar."""

from django.db.models import QuerySet

from accounts.permissions import BasePermissionPolicy

from .models import FeedToken


class FeedPolicy(BasePermissionPolicy):
    model = FeedToken
    HOLD = "hold"

    def user_has_permission(self, user, action: str) -> bool:
        signed_in = bool(getattr(user, "is_authenticated", False) and user.is_active)
        return signed_in and action == self.HOLD

    def user_has_permission_for_instance(self, user, action: str, instance: FeedToken) -> bool:
        return self.user_has_permission(user, action) and instance.user_id == user.pk

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet:
        if not self.user_has_permission(user, action):
            return FeedToken.objects.none()
        return FeedToken.objects.filter(user=user)


feed_policy = FeedPolicy()
