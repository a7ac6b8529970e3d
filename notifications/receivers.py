"""What the notifications app hears from the apps below it.

- Every workflow step (`review.signals.workflow_step`, sent once the step is committed) queues
  one job in the task cluster that writes the step's notices and mails those wanted at once;
  the request that took the step does none of that work.
- A saved assignment, reporting period or explanation request may have changed the deadline
  that reminders were sent about: once the save is committed, the reminders that no longer
  apply are marked so, at once, so the bell stops counting them; and if any were, a sweep is
  queued so that the new deadline is reminded now rather than at the next scheduled sweep.
"""

from functools import partial

from django.db import transaction
from django_q.tasks import async_task

from .notices import MODELS, step_time
from .supersession import reminders_supersede


def on_workflow_step(sender, instance, step: str, acting_user=None, **kwargs) -> None:
    label = sender._meta.label_lower
    if label not in MODELS:
        return
    occurred_at = step_time(instance, step)
    transaction.on_commit(
        partial(
            async_task,
            "notifications.jobs.notices_deliver",
            label,
            instance.pk,
            step,
            getattr(acting_user, "pk", None),
            occurred_at.isoformat(),
        )
    )


def _supersede_on_commit(**scope) -> None:
    def run() -> None:
        if reminders_supersede(**scope):
            async_task("notifications.jobs.reminders_sweep")

    transaction.on_commit(run)


def on_assignment_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # A new assignment has no reminders yet; a fixture being loaded is not a change.
    if not created and not raw:
        _supersede_on_commit(assignment_ids=[instance.pk])


def on_period_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        _supersede_on_commit(period_ids=[instance.pk])


def on_explanation_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        _supersede_on_commit(explanation_ids=[instance.pk])
