from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django_q.tasks import async_task

from accounts.permissions import BasePermissionPolicy


def tracked_save(instance: models.Model, *, acting_user, reason: str, **kwargs) -> None:
    """Save a history-tracked row with the acting user and the reason on its history record."""
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save(**kwargs)


def ensure(policy: BasePermissionPolicy, user, action: str, instance) -> None:
    """Services check the policy too, so no path around a view can skip it."""
    if not policy.user_has_permission_for_instance(user, action, instance):
        raise PermissionDenied(f"{action} {instance._meta.label_lower} #{instance.pk}")


def reminders_refresh() -> None:
    """After a deadline changes, run a reminder sweep in the task cluster once the change is
    committed, so a deadline set for tomorrow is reminded now rather than at the next
    scheduled sweep. The sweep sends nothing twice, so extra runs cost only time."""
    transaction.on_commit(lambda: async_task("notifications.jobs.reminders_sweep"))
