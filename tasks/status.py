"""Status, as Vietnamese government task tracking counts it, computed from dates and accepted
reports, never typed in.

- completed on time / completed late: a report saying the work is done was accepted; it
  counts against the effective (possibly extended) deadline, and the original deadline is
  judged too;
- in progress: not completed, deadline not passed ("due soon" within DUE_SOON_DAYS);
- overdue: not completed, deadline passed;
- ongoing: a recurring duty, judged per reporting period instead.

The same rules exist twice, on purpose: as Python for one object, and as a SQL expression for
counting thousands on a dashboard; tests hold them to the same table of cases.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import Assignment, DeadlineKind


class Status(models.TextChoices):
    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")
    COMPLETED_LATE = "completed_late", _("Completed late")
    IN_PROGRESS = "in_progress", _("Not completed, within the deadline")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Not completed, overdue")
    ONGOING = "ongoing", _("Recurring duty")


# The four-way classification folds "due soon" into "in progress".
FOUR_WAY = {
    Status.COMPLETED_ON_TIME: Status.COMPLETED_ON_TIME,
    Status.COMPLETED_LATE: Status.COMPLETED_LATE,
    Status.IN_PROGRESS: Status.IN_PROGRESS,
    Status.DUE_SOON: Status.IN_PROGRESS,
    Status.OVERDUE: Status.OVERDUE,
    Status.ONGOING: Status.ONGOING,
}

# From worst to best: a task shows the worst of its unfinished parts.
SEVERITY = [
    Status.OVERDUE,
    Status.DUE_SOON,
    Status.IN_PROGRESS,
    Status.ONGOING,
    Status.COMPLETED_LATE,
    Status.COMPLETED_ON_TIME,
]


def due_soon_days() -> int:
    return settings.DUE_SOON_DAYS


@dataclass(frozen=True)
class Deadlines:
    kind: str
    deadline: date | None
    extended_deadline: date | None
    completed_on: date | None

    @property
    def effective(self) -> date | None:
        return self.extended_deadline or self.deadline


def status_of(d: Deadlines, *, today: date, soon_days: int | None = None) -> Status:
    soon_days = due_soon_days() if soon_days is None else soon_days
    if d.completed_on is not None:
        if d.effective is None or d.completed_on <= d.effective:
            return Status.COMPLETED_ON_TIME
        return Status.COMPLETED_LATE
    if d.kind == DeadlineKind.RECURRING:
        return Status.ONGOING
    if d.effective is None:
        return Status.IN_PROGRESS
    if today > d.effective:
        return Status.OVERDUE
    if (d.effective - today).days <= soon_days:
        return Status.DUE_SOON
    return Status.IN_PROGRESS


def assignment_status(assignment: Assignment, *, today: date) -> Status:
    return status_of(
        Deadlines(
            assignment.deadline_kind,
            assignment.deadline,
            assignment.extended_deadline,
            assignment.completed_on,
        ),
        today=today,
    )


def completed_within_original(assignment: Assignment) -> bool | None:
    """On time against the original deadline, for a completion after an extension."""
    if assignment.completed_on is None or assignment.deadline is None:
        return None
    return assignment.completed_on <= assignment.deadline


def status_expression(*, today: date, soon_days: int | None = None) -> Case:
    """The same rules as status_of, as an expression to annotate a queryset of assignments."""
    soon_days = due_soon_days() if soon_days is None else soon_days
    return Case(
        When(
            Q(completed_on__isnull=False)
            & (
                Q(deadline__isnull=True)
                | Q(completed_on__lte=Coalesce(F("extended_deadline"), F("deadline")))
            ),
            then=Value(Status.COMPLETED_ON_TIME.value),
        ),
        When(completed_on__isnull=False, then=Value(Status.COMPLETED_LATE.value)),
        When(deadline_kind=DeadlineKind.RECURRING, then=Value(Status.ONGOING.value)),
        When(deadline__isnull=True, then=Value(Status.IN_PROGRESS.value)),
        When(
            Q(extended_deadline__isnull=False, extended_deadline__lt=today)
            | Q(extended_deadline__isnull=True, deadline__lt=today),
            then=Value(Status.OVERDUE.value),
        ),
        When(
            Q(extended_deadline__isnull=False, extended_deadline__lte=today + timedelta(soon_days))
            | Q(extended_deadline__isnull=True, deadline__lte=today + timedelta(soon_days)),
            then=Value(Status.DUE_SOON.value),
        ),
        default=Value(Status.IN_PROGRESS.value),
        output_field=models.CharField(),
    )


def rolled_up(statuses: list[Status]) -> Status | None:
    """A task's status, or a delegating assignment's, from its parts: completed when every
    part is (late if any was late), otherwise the worst unfinished part."""
    if not statuses:
        return None
    unfinished = [s for s in statuses if s not in (Status.COMPLETED_ON_TIME, Status.COMPLETED_LATE)]
    if not unfinished:
        return (
            Status.COMPLETED_LATE if Status.COMPLETED_LATE in statuses else Status.COMPLETED_ON_TIME
        )
    return min(unfinished, key=SEVERITY.index)
