"""The notifications' permission policy: a person's reminders and notices, and their notice
settings, are theirs alone. Anyone else's is answered as if it did not exist."""

from django.db.models import QuerySet

from accounts.permissions import BasePermissionPolicy
from tasks.models import Assignment
from tasks.permissions import Action, assignment_policy

from .models import Reminder


class ReminderPolicy(BasePermissionPolicy):
    model = Reminder
    VIEW = "view"
    MARK_READ = "mark_read"
    # A person's own notice settings.
    SET_PREFERENCES = "set_preferences"
    ACTIONS = (VIEW, MARK_READ, SET_PREFERENCES)

    def user_has_permission(self, user, action: str) -> bool:
        signed_in = bool(getattr(user, "is_authenticated", False) and user.is_active)
        return signed_in and action in self.ACTIONS

    def user_has_permission_for_instance(self, user, action: str, instance: Reminder) -> bool:
        return self.user_has_permission(user, action) and instance.recipient_id == user.pk

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet[Reminder]:
        if not self.user_has_permission(user, action):
            return Reminder.objects.none()
        return Reminder.objects.filter(recipient=user)


reminder_policy = ReminderPolicy()


class RemindNowPolicy(BasePermissionPolicy):
    """Sending a reminder now, outside the schedule, to the bodies of selected assignments:
    the tasks policy's REMIND_NOW, on any assignment the user sees."""

    model = Reminder
    REMIND_NOW = "remind_now"

    def user_has_permission(self, user, action: str) -> bool:
        return action == self.REMIND_NOW and assignment_policy.user_has_permission(
            user, Action.REMIND_NOW
        )

    def user_has_permission_for_instance(self, user, action: str, instance: Assignment) -> bool:
        return self.user_has_permission(
            user, action
        ) and assignment_policy.user_has_permission_for_instance(user, Action.VIEW, instance)

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet[Assignment]:
        if not self.user_has_permission(user, action):
            return Assignment.objects.none()
        return assignment_policy.instances_user_has_permission_for(user, Action.VIEW)


remind_now_policy = RemindNowPolicy()
