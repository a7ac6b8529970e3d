from django.core.exceptions import ValidationError
from django.db import transaction
from django_q.tasks import async_task

from review.services import ensure, tracked_save

__all__ = ["RowsRefused", "ensure", "reminders_refresh", "tracked_save"]


class RowsRefused(ValidationError):
    """A step on several assignments refused as a whole: `refusals` maps each assignment that
    may not be changed to why; nothing was changed."""

    def __init__(self, refusals: dict[int, str]):
        self.refusals = refusals
        super().__init__(list(refusals.values()))


def reminders_refresh() -> None:
    """After a deadline changes, run a reminder sweep in the task cluster once the change is
    committed, so a deadline set for tomorrow is reminded now rather than at the next
    scheduled sweep. The sweep sends nothing twice, so extra runs cost only time."""
    transaction.on_commit(lambda: async_task("notifications.jobs.reminders_sweep"))
