"""Writes of the reminder system: the sweep that decides and records reminders, the mail that
carries them, its retries, and marking notifications read.

A reminder goes out at most once per item, deadline, step and recipient. The sweep claims
what it sends by inserting Reminder rows that a unique constraint guards (after healthchecks'
sendalerts: "another worker process got there first"): two sweeps at once, a sweep retried
after a worker died, or a sweep run by hand all insert the same keys, and only one insert of
each key succeeds. Mail is sent after that commit, each message claimed by a conditional
update, so a message is never sent twice by two workers; a worker that dies mid-send lets its
claim lapse, and the retry job picks the message up.
"""

import logging
import smtplib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from .emails import email_message, email_render
from .models import EmailDelivery, EmailState, Reminder, ReminderAudience, SubjectKind
from .policy import due_steps, lookahead_days
from .selectors import Deadline, active_step_rules, open_deadlines, recipients_for

logger = logging.getLogger(__name__)

# How long a worker may hold a message it is sending before another may take it over.
CLAIM_SECONDS = 600


@dataclass
class PlannedReminder:
    deadline: Deadline
    step_code: str
    recipient: object


@dataclass
class SweepResult:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    planned: list[PlannedReminder] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"reminders: sent {self.sent}, already sent {self.already_sent}, failed {self.failed}"
        )


def _key(row) -> tuple:
    return (
        row.subject_kind,
        row.subject,
        row.deadline,
        row.step_id,
        row.occurrence,
        row.recipient_id,
    )


def _planned_rows(
    *, now: datetime, sweep: uuid.UUID
) -> tuple[list[Reminder], list[PlannedReminder]]:
    """The reminders due today by the policy, one per recipient, unsaved."""
    today = timezone.localdate(now)
    rules = active_step_rules()
    if not rules:
        return [], []
    deadlines = open_deadlines(today=today, lookahead=lookahead_days(rules))
    due = [(d, s) for d in deadlines for s in due_steps(rules, deadline=d.deadline, today=today)]
    people = recipients_for(body_ids={d.body_id for d, _ in due}, today=today)
    rows, planned = [], []
    for deadline, step in due:
        if step.step.audience == ReminderAudience.ESCALATION:
            recipients = people.escalation(deadline.body_id)
        else:
            recipients = people.responsible(deadline.body_id)
        for recipient in recipients:
            rows.append(
                Reminder(
                    sweep=sweep,
                    subject_kind=deadline.kind,
                    subject=deadline.subject,
                    assignment_id=deadline.assignment_id,
                    period_id=deadline.period_id,
                    deadline=deadline.deadline,
                    step_id=step.step.pk,
                    occurrence=step.occurrence,
                    days_from_deadline=(today - deadline.deadline).days,
                    recipient=recipient,
                    created_at=now,
                )
            )
            planned.append(PlannedReminder(deadline, step.step.code, recipient))
    return rows, planned


def reminders_plan(*, now: datetime | None = None) -> SweepResult:
    """What a sweep would send now, and what it would skip as already sent; writes nothing."""
    now = now or timezone.now()
    rows, planned = _planned_rows(now=now, sweep=uuid.uuid4())
    result = SweepResult()
    if not rows:
        return result
    existing = set(
        Reminder.objects.filter(
            deadline__in={r.deadline for r in rows}, step_id__in={r.step_id for r in rows}
        ).values_list(
            "subject_kind", "subject", "deadline", "step_id", "occurrence", "recipient_id"
        )
    )
    for row, plan in zip(rows, planned, strict=True):
        if _key(row) in existing:
            result.already_sent += 1
        else:
            result.planned.append(plan)
    return result


def reminders_sweep(*, now: datetime | None = None) -> SweepResult:
    """Record and deliver every reminder the policy says is due now and has not gone out.

    Each new reminder appears in its recipient's notifications at once; each recipient gets
    one email digest of all their new reminders. Returns the counts the summary line prints.
    """
    now = now or timezone.now()
    sweep = uuid.uuid4()
    rows, _ = _planned_rows(now=now, sweep=sweep)
    with transaction.atomic():
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        claimed = list(
            Reminder.objects.filter(sweep=sweep).select_related(
                "assignment__item__programme", "assignment__body", "period", "step", "recipient"
            )
        )
        _digests_create(sweep=sweep, reminders=claimed, now=now)
    result = SweepResult(already_sent=len(rows) - len(claimed))
    if not claimed:
        return result
    outcomes = emails_send(EmailDelivery.objects.filter(sweep=sweep), now=now)
    per_recipient = defaultdict(int)
    for reminder in claimed:
        per_recipient[reminder.recipient_id] += 1
    for delivery_recipient, state in outcomes.items():
        if state in (EmailState.FAILED, EmailState.GIVEN_UP):
            result.failed += per_recipient.pop(delivery_recipient, 0)
    result.sent = sum(per_recipient.values())
    logger.info(result.summary)
    return result


def _digests_create(*, sweep: uuid.UUID, reminders: list[Reminder], now: datetime) -> None:
    """One email per recipient for the reminders this sweep claimed, rendered now so that a
    retry sends exactly what was recorded."""
    by_recipient: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_recipient[reminder.recipient_id].append(reminder)
    deliveries = []
    for items in by_recipient.values():
        recipient = items[0].recipient
        email = email_render("reminder-digest", _digest_context(recipient, items))
        deliveries.append(
            EmailDelivery(
                sweep=sweep,
                recipient=recipient,
                to_address=recipient.email,
                subject=email.subject,
                body_text=email.text,
                body_html=email.html,
                state=EmailState.PENDING if recipient.email else EmailState.NO_ADDRESS,
                created_at=now,
                next_attempt_at=now,
            )
        )
    EmailDelivery.objects.bulk_create(deliveries)
    Reminder.objects.filter(sweep=sweep).update(
        email=Subquery(
            EmailDelivery.objects.filter(sweep=sweep, recipient=OuterRef("recipient")).values("pk")[
                :1
            ]
        )
    )


def _digest_context(recipient, reminders: list[Reminder]) -> dict:
    escalations, overdue, due_today, upcoming = [], [], [], []
    for reminder in sorted(
        reminders, key=lambda r: (r.deadline, r.assignment.item.sequence, r.assignment.body.name)
    ):
        entry = {
            "reminder": reminder,
            "item": reminder.assignment.item,
            "body": reminder.assignment.body,
            "period": reminder.period,
            "is_report": reminder.subject_kind == SubjectKind.PERIOD_REPORT,
            "days_late": reminder.days_from_deadline,
            "days_left": -reminder.days_from_deadline,
            "path": reverse("assignment_detail", args=[reminder.assignment_id]),
        }
        if reminder.step.audience == ReminderAudience.ESCALATION:
            escalations.append(entry)
        elif reminder.days_from_deadline > 0:
            overdue.append(entry)
        elif reminder.days_from_deadline == 0:
            due_today.append(entry)
        else:
            upcoming.append(entry)
    return {
        "recipient": recipient,
        "count": len(reminders),
        "escalations": escalations,
        "overdue": overdue,
        "due_today": due_today,
        "upcoming": upcoming,
        "notifications_path": reverse("notification_list"),
    }


def _retry_delay(attempts: int) -> timedelta:
    """5 minutes, then 15, 45, ... : each failure waits three times longer."""
    return timedelta(seconds=settings.REMINDER_EMAIL_RETRY_SECONDS * 3 ** max(attempts - 1, 0))


def _claim(delivery: EmailDelivery, *, now: datetime) -> bool:
    """Take the message for this worker; False when another worker has it or it is done."""
    return bool(
        EmailDelivery.objects.filter(pk=delivery.pk)
        .filter(
            Q(state__in=[EmailState.PENDING, EmailState.FAILED], next_attempt_at__lte=now)
            | Q(state=EmailState.SENDING, claimed_until__lt=now)
        )
        .update(
            state=EmailState.SENDING,
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            attempts=F("attempts") + 1,
        )
    )


def emails_send(deliveries, *, now: datetime | None = None) -> dict[int, str]:
    """Send each of the messages that is due and not held by another worker, over one SMTP
    connection. Returns the outcome by recipient id."""
    now = now or timezone.now()
    outcomes: dict[int, str] = {}
    connection = None
    for delivery in deliveries:
        if not _claim(delivery, now=now):
            continue
        delivery.refresh_from_db(fields=["attempts"])
        if connection is None:
            connection = get_connection(fail_silently=False)
        message = email_message(
            subject=delivery.subject,
            text=delivery.body_text,
            html=delivery.body_html,
            to=delivery.to_address,
        )
        message.connection = connection
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            given_up = delivery.attempts >= settings.REMINDER_EMAIL_MAX_ATTEMPTS
            state = EmailState.GIVEN_UP if given_up else EmailState.FAILED
            EmailDelivery.objects.filter(pk=delivery.pk).update(
                state=state,
                claimed_until=None,
                next_attempt_at=None if given_up else now + _retry_delay(delivery.attempts),
                last_error=f"{type(error).__name__}: {error}"[:2000],
            )
            logger.warning(
                "email %s to %s failed (attempt %d): %s",
                delivery.pk,
                delivery.to_address,
                delivery.attempts,
                error,
            )
            # The connection may be broken; the next message opens a fresh one.
            connection = None
        else:
            state = EmailState.SENT
            EmailDelivery.objects.filter(pk=delivery.pk).update(
                state=state, claimed_until=None, sent_at=now, next_attempt_at=None, last_error=""
            )
        outcomes[delivery.recipient_id] = state
    if connection is not None:
        connection.close()
    return outcomes


def emails_retry(*, now: datetime | None = None) -> dict[int, str]:
    """Send again the messages whose retry time has come, and those a dead worker left
    claimed."""
    now = now or timezone.now()
    due = EmailDelivery.objects.filter(
        Q(state__in=[EmailState.PENDING, EmailState.FAILED], next_attempt_at__lte=now)
        | Q(state=EmailState.SENDING, claimed_until__lt=now)
    ).order_by("next_attempt_at", "pk")
    return emails_send(list(due), now=now)


@transaction.atomic
def email_deliveries_retry_now(*, deliveries, now: datetime | None = None) -> int:
    """An administrator's "try again now": failed and given-up messages become due at once,
    given-up ones with a fresh count of attempts."""
    now = now or timezone.now()
    ids = [d.pk for d in deliveries]
    base = EmailDelivery.objects.filter(pk__in=ids)
    changed = base.filter(state=EmailState.GIVEN_UP).update(
        state=EmailState.FAILED, attempts=0, next_attempt_at=now
    )
    changed += (
        base.filter(state=EmailState.FAILED)
        .exclude(next_attempt_at=now)
        .update(next_attempt_at=now)
    )
    return changed


def reminder_mark_read(*, reminder: Reminder, now: datetime | None = None) -> None:
    """Mark one of the user's notifications read (the view has checked it is theirs)."""
    Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def reminders_mark_all_read(*, user, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read."""
    return Reminder.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
