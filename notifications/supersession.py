"""Reminders follow the deadline. A reminder is about one deadline of one body: when the
deadline is corrected or extended, a period's due date moves, the assignment is cancelled,
completed or moved to another body, the reminder no longer applies. It is then marked
superseded, with why and the deadline that replaced it: the bell stops counting it, the list
strikes it through, and the next digest to whoever was mailed it says it no longer applies (an
email cannot be recalled).

Marked by set-based updates, a few statements whatever the number of reminders: by the sweep
for every reminder, and at once, on commit, by the receivers of a saved assignment, period or
explanation request for theirs (notifications.receivers), so a correction leaves the bell as
soon as it is saved, from a service or from the admin.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from indicators.models import ExplanationRequest
from tasks.models import Assignment, DeadlineKind, ReportingPeriod

from .models import EmailDelivery, EmailState, Reminder, SubjectKind, SupersededReason
from .wording import reminder_title

# An email older than this is not withdrawn any more: the digest would only confuse.
WITHDRAW_WITHIN_DAYS = 30


def _closed_or_moved(stale, *, now: datetime) -> int:
    """Mark the stale reminders whose assignment was cancelled, completed or moved."""
    changed = stale.filter(assignment__cancelled_on__isnull=False).update(
        superseded_at=now, superseded_reason=SupersededReason.CANCELLED
    )
    changed += stale.filter(assignment__completed_on__isnull=False).update(
        superseded_at=now, superseded_reason=SupersededReason.COMPLETED
    )
    changed += stale.filter(~Q(assignment__body_id=F("body_id"))).update(
        superseded_at=now, superseded_reason=SupersededReason.MOVED
    )
    return changed


def reminders_supersede(
    *,
    assignment_ids: list[int] | None = None,
    period_ids: list[int] | None = None,
    explanation_ids: list[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Mark superseded every reminder whose deadline is no longer its subject's current one;
    all of them, or only those about the given assignments, periods or explanation requests.
    Returns how many were marked. One query when nothing changed."""
    now = now or timezone.now()
    everything = assignment_ids is None and period_ids is None and explanation_ids is None
    live = Reminder.objects.filter(superseded_at__isnull=True)
    changed = 0

    if everything or assignment_ids is not None:
        reminders = live.filter(subject_kind=SubjectKind.ASSIGNMENT_DEADLINE)
        if assignment_ids is not None:
            reminders = reminders.filter(assignment_id__in=assignment_ids)
        current = (
            Assignment.objects.filter(
                pk=OuterRef("assignment_id"), deadline_kind=DeadlineKind.FIXED
            )
            .annotate(effective=Coalesce("extended_deadline", "deadline"))
            .order_by()
        )
        holds = current.filter(
            cancelled_on__isnull=True,
            completed_on__isnull=True,
            body_id=OuterRef("body_id"),
            effective=OuterRef("deadline"),
        )
        stale = reminders.filter(~Exists(holds))
        if stale.exists():
            changed += _closed_or_moved(stale, now=now)
            changed += stale.update(
                superseded_at=now,
                superseded_reason=SupersededReason.DEADLINE_CHANGED,
                superseded_deadline=Subquery(current.values("effective")[:1]),
            )

    if everything or assignment_ids is not None or period_ids is not None:
        reminders = live.filter(subject_kind=SubjectKind.PERIOD_REPORT)
        if assignment_ids is not None or period_ids is not None:
            scope = Q()
            if assignment_ids is not None:
                scope |= Q(assignment_id__in=assignment_ids)
            if period_ids is not None:
                scope |= Q(period_id__in=period_ids)
            reminders = reminders.filter(scope)
        assignment_holds = Assignment.objects.filter(
            pk=OuterRef("assignment_id"),
            cancelled_on__isnull=True,
            completed_on__isnull=True,
            body_id=OuterRef("body_id"),
        )
        due_on = ReportingPeriod.objects.filter(pk=OuterRef("period_id")).order_by()
        stale = reminders.filter(
            ~Exists(assignment_holds) | ~Exists(due_on.filter(due_on=OuterRef("deadline")))
        )
        if stale.exists():
            changed += _closed_or_moved(stale, now=now)
            changed += stale.update(
                superseded_at=now,
                superseded_reason=SupersededReason.DEADLINE_CHANGED,
                superseded_deadline=Subquery(due_on.values("due_on")[:1]),
            )

    if everything or explanation_ids is not None:
        reminders = live.filter(subject_kind=SubjectKind.EXPLANATION)
        if explanation_ids is not None:
            reminders = reminders.filter(explanation_request_id__in=explanation_ids)
        current = ExplanationRequest.objects.filter(
            pk=OuterRef("explanation_request_id")
        ).order_by()
        stale = reminders.filter(~Exists(current.filter(due_on=OuterRef("deadline"))))
        if stale.exists():
            changed += stale.update(
                superseded_at=now,
                superseded_reason=SupersededReason.DEADLINE_CHANGED,
                superseded_deadline=Subquery(current.values("due_on")[:1]),
            )
    return changed


@dataclass(frozen=True)
class WithdrawalLine:
    """A line of a digest: an emailed reminder that no longer applies, and why."""

    key: str
    body: str
    title: str
    deadline: str
    sent_on: str
    why: str
    path: str


def superseded_why(reminder: Reminder) -> str:
    """Why a reminder no longer applies, with the deadline that replaced it; the bell's list
    and the digest say the same."""
    reason = reminder.superseded_reason
    if reason == SupersededReason.DEADLINE_CHANGED:
        if reminder.superseded_deadline is None:
            return gettext("The deadline was removed.")
        return gettext("New deadline: %(date)s.") % {
            "date": reminder.superseded_deadline.strftime("%d/%m/%Y")
        }
    if reason == SupersededReason.MOVED and reminder.assignment_id is not None:
        return gettext("The work moved to %(body)s.") % {
            "body": reminder.assignment.body.display_name
        }
    return str(SupersededReason(reason).label) + "."


def withdrawals_claim(
    *, sweep, now: datetime, recipient_ids: set[int] | None = None
) -> dict[int, list[WithdrawalLine]]:
    """Take for this digest the reminders that were mailed and no longer apply, not yet said
    so in an earlier digest (a conditional update: two digests at once share them out), and
    tell each recipient's as lines. Runs inside the digest's transaction."""
    from .selectors import reminders_for_display

    mailed = EmailDelivery.objects.filter(
        sweep=OuterRef("sweep"), recipient=OuterRef("recipient"), state=EmailState.SENT
    )
    candidates = Reminder.objects.filter(
        superseded_at__gte=now - timedelta(days=WITHDRAW_WITHIN_DAYS),
        withdrawal_sweep__isnull=True,
    ).filter(Exists(mailed))
    if recipient_ids is not None:
        candidates = candidates.filter(recipient_id__in=recipient_ids)
    if not candidates.update(withdrawal_sweep=sweep):
        return {}
    lines: dict[int, list[WithdrawalLine]] = defaultdict(list)
    for reminder in reminders_for_display(Reminder.objects.filter(withdrawal_sweep=sweep)).order_by(
        "deadline", "pk"
    ):
        explanation = reminder.explanation_request
        if reminder.assignment_id is not None:
            key, body = reminder.assignment.item.citation, reminder.assignment.body.display_name
        else:
            key, body = explanation.target.display_name, explanation.body.display_name
        if reminder.body_id is not None and reminder.body is not None:
            body = reminder.body.display_name
        lines[reminder.recipient_id].append(
            WithdrawalLine(
                key=key,
                body=body,
                title=reminder_title(
                    reminder.subject_kind, reminder.days_from_deadline, deadline=reminder.deadline
                ),
                deadline=reminder.deadline.strftime("%d/%m/%Y"),
                sent_on=timezone.localtime(reminder.created_at).strftime("%d/%m/%Y"),
                why=superseded_why(reminder),
                path=reminder.link,
            )
        )
    return lines
