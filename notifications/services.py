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
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from accounts.models import Body, User
from indicators.models import ExplanationRequest
from programme.citations import cite_key
from programme.models import Item
from review.services import tracked_save
from tasks.models import ReportingPeriod
from tasks.services.common import RowsRefused

from .bell import bell_bump
from .emails import RenderedPart, email_message, email_render, email_render_part
from .models import EmailDelivery, EmailState, Reminder, ReminderAudience, ReminderStep
from .permissions import remind_now_policy
from .policy import due_steps, lookahead_days
from .selectors import Deadline, active_step_rules, open_deadlines, recipients_for
from .supersession import reminders_supersede, withdrawals_claim
from .wording import reminder_title, when_phrase

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


class ReminderRow(NamedTuple):
    """A Reminder row to insert, as plain values: a sweep may insert tens of thousands, and
    building model instances for them cost more than the insert itself."""

    sweep: uuid.UUID
    subject_kind: str
    subject: str
    assignment_id: int | None
    period_id: int | None
    explanation_request_id: int | None
    deadline: date
    step_id: int
    occurrence: int
    days_from_deadline: int
    recipient_id: int
    created_at: datetime
    # The body whose deadline it is: the reminder no longer applies if the work moves.
    body_id: int

    @property
    def key(self) -> tuple:
        """The unique constraint's columns: a reminder goes out once per key."""
        return (
            self.subject_kind,
            self.subject,
            self.deadline,
            self.step_id,
            self.occurrence,
            self.recipient_id,
        )


def _planned_rows(
    *, now: datetime, sweep: uuid.UUID
) -> tuple[list[ReminderRow], list[PlannedReminder]]:
    """The reminders due today by the policy, one per recipient, unsaved."""
    today = timezone.localdate(now)
    rules = active_step_rules()
    if not rules:
        return [], []
    deadlines = open_deadlines(today=today, lookahead=lookahead_days(rules))
    due = [(d, s) for d in deadlines for s in due_steps(rules, deadline=d.deadline, today=today)]
    people = recipients_for(body_ids={d.body_id for d, _step in due}, today=today)
    rows, planned = [], []
    for deadline, step in due:
        if step.step.audience == ReminderAudience.ESCALATION:
            recipients = people.escalation(deadline.body_id)
        else:
            recipients = people.responsible(deadline.body_id)
        for recipient in recipients:
            rows.append(
                ReminderRow(
                    sweep,
                    deadline.kind,
                    deadline.subject,
                    deadline.assignment_id,
                    deadline.period_id,
                    deadline.explanation_id,
                    deadline.deadline,
                    step.step.pk,
                    step.occurrence,
                    (today - deadline.deadline).days,
                    recipient.pk,
                    now,
                    deadline.body_id,
                )
            )
            planned.append(PlannedReminder(deadline, step.step.code, recipient))
    return rows, planned


# Rows per INSERT statement.
INSERT_BATCH = 5000


def _reminders_insert(rows: list[ReminderRow]) -> None:
    """Insert the rows, skipping those whose key is already taken (by an earlier sweep or one
    running now): ON CONFLICT DO NOTHING on the unique constraint, as bulk_create's
    ignore_conflicts does, without a model instance per row. On PostgreSQL each batch is one
    statement over arrays (UNNEST); elsewhere a prepared statement run for each row."""
    if not rows:
        return
    table = connection.ops.quote_name(Reminder._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ReminderRow._fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            if connection.vendor == "postgresql":
                arrays = ", ".join(f"%s::{t}[]" for t in _PG_TYPES)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "
                    "ON CONFLICT DO NOTHING",
                    [list(column) for column in zip(*batch, strict=True)],
                )
            else:
                placeholders = ", ".join(["%s"] * len(ReminderRow._fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
                    "ON CONFLICT DO NOTHING",
                    [_db_values(row) for row in batch],
                )


# The PostgreSQL types of ReminderRow's columns, in order.
_PG_TYPES = (
    "uuid",
    "varchar",
    "varchar",
    "bigint",
    "bigint",
    "bigint",
    "date",
    "bigint",
    "smallint",
    "smallint",
    "bigint",
    "timestamptz",
    "bigint",
)


def _db_values(row: ReminderRow) -> tuple:
    """The row's values as the database backend stores them (UUIDs, dates and times)."""
    fields = Reminder._meta
    return (
        fields.get_field("sweep").get_db_prep_value(row.sweep, connection),
        *row[1:6],
        connection.ops.adapt_datefield_value(row.deadline),
        *row[7:11],
        connection.ops.adapt_datetimefield_value(row.created_at),
        row.body_id,
    )


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
        if row.key in existing:
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
    # What changed since the last sweep without a receiver seeing it (a bulk import, a
    # restore) stops being reminded before anything new goes out.
    reminders_supersede(now=now)
    rows, _planned = _planned_rows(now=now, sweep=sweep)
    with transaction.atomic():
        _reminders_insert(rows)
        bell_bump(row.recipient_id for row in rows)
        per_recipient = _digests_create(sweep=sweep, now=now)
    claimed = sum(per_recipient.values())
    result = SweepResult(already_sent=len(rows) - claimed)
    if not claimed:
        return result
    deliveries = list(EmailDelivery.objects.filter(sweep=sweep).only("pk", "recipient_id"))
    outcomes = emails_send(deliveries, now=now)
    for delivery in deliveries:
        if outcomes.get(delivery.pk) in (EmailState.FAILED, EmailState.GIVEN_UP):
            result.failed += per_recipient.pop(delivery.recipient_id, 0)
    result.sent = sum(per_recipient.values())
    logger.info(result.summary)
    return result


# A digest lists this many reminders, the most urgent first; the rest are in the app.
DIGEST_LIMIT = 25

SECTION_TITLES = {
    "escalations": _("Overdue for 14 days or more: for the leaders' direction"),
    "overdue": _("Overdue"),
    "due_today": _("Due today"),
    "upcoming": _("Due soon"),
}


@dataclass(frozen=True)
class DigestEntry:
    """One line of a digest, with its words already in the message's language."""

    key: str
    title: str
    text: str
    body: str
    report_for: str
    deadline: str
    when: str
    path: str


def _digests_create(*, sweep: uuid.UUID, now: datetime) -> dict[int, int]:
    """One email per recipient for the reminders this sweep claimed, rendered now so that a
    retry sends exactly what was recorded. Returns how many reminders each recipient got.

    Built from plain rows in a handful of queries: on a period's due date every body in the
    province is reminded at once, tens of thousands of reminders in one sweep.
    """
    claimed = []
    for *row, explanation_id, explanation_body_id in Reminder.objects.filter(
        sweep=sweep
    ).values_list(
        "recipient_id",
        "assignment_id",
        "assignment__item_id",
        "assignment__body_id",
        "period_id",
        "step__audience",
        "deadline",
        "days_from_deadline",
        "explanation_request_id",
        "explanation_request__body_id",
    ):
        if explanation_id is not None:
            # An explanation request stands where the task would: ("e", id) keys its line.
            row[2], row[3] = ("e", explanation_id), explanation_body_id
        claimed.append(tuple(row))
    if not claimed:
        return {}
    items = {
        pk: (key, text, sequence)
        for pk, key, text, sequence in Item.objects.filter(
            pk__in={row[2] for row in claimed if not isinstance(row[2], tuple)}
        ).values_list("pk", "key", "text", "sequence")
    }
    explanation_ids = {row[2][1] for row in claimed if isinstance(row[2], tuple)}
    # An explanation request about a target, not a task, is named by the target.
    target_names: dict[tuple, str] = {}
    if explanation_ids:
        for pk, question, target_name, item_key, sequence in ExplanationRequest.objects.filter(
            pk__in=explanation_ids
        ).values_list(
            "pk", "question", "target__name", "assignment__item__key", "assignment__item__sequence"
        ):
            items[("e", pk)] = (item_key, question, sequence or 0)
            target_names[("e", pk)] = target_name
    bodies = dict(Body.objects.filter(pk__in={row[3] for row in claimed}).values_list("pk", "name"))
    periods = dict(
        ReportingPeriod.objects.filter(pk__in={row[4] for row in claimed if row[4]}).values_list(
            "pk", "name"
        )
    )
    recipients = User.objects.in_bulk({row[0] for row in claimed})
    # Sort and section every reminder cheaply; words are put together only for the ones a
    # digest shows.
    sections: dict[int, dict[str, list[tuple]]] = defaultdict(
        lambda: {"escalations": [], "overdue": [], "due_today": [], "upcoming": []}
    )
    for row in claimed:
        recipient_id, _assignment, item_id, body_id, _period, audience, deadline, days = row
        if audience == ReminderAudience.ESCALATION:
            section = "escalations"
        elif days > 0:
            section = "overdue"
        elif days == 0:
            section = "due_today"
        else:
            section = "upcoming"
        sections[recipient_id][section].append((deadline, items[item_id][2], bodies[body_id], row))

    path = reverse("assignment_detail", args=[0])[:-2]
    explanation_path = reverse("explanation_detail", args=[0])[:-2]
    report_for: dict[int, str] = {}
    texts: dict[int, str] = {}
    citations: dict[int, str] = {}
    whens: dict[int, str] = {}

    def entry(row: tuple) -> DigestEntry:
        _recipient, assignment_id, item_id, body_id, period_id, _audience, deadline, days = row
        if item_id not in texts:
            texts[item_id] = Truncator(items[item_id][1]).words(40)
            item_key = items[item_id][0]
            # "III.10, gạch đầu dòng thứ 1", not the key "III.10.b1".
            citations[item_id] = cite_key(item_key) if item_key else target_names[item_id]
        explanation = isinstance(item_id, tuple)
        if days not in whens:
            whens[days] = when_phrase(days)
        return DigestEntry(
            key=citations[item_id],
            title=reminder_title(
                "period_report" if period_id else "deadline", days, deadline=deadline
            ),
            text=texts[item_id],
            body=bodies[body_id],
            report_for=gettext("explanation requested")
            if explanation
            else report_for.get(period_id, ""),
            deadline=deadline.strftime("%d/%m/%Y"),
            when=whens[days],
            path=f"{explanation_path}{item_id[1]}/" if explanation else f"{path}{assignment_id}/",
        )

    deliveries = []
    counts = {}
    # Officers of one body get the same list: each distinct list is rendered once.
    rendered_lists: dict[tuple, RenderedPart] = {}
    with translation.override(settings.LANGUAGE_CODE):
        withdrawn = withdrawals_claim(sweep=sweep, now=now, recipient_ids=set(sections))
        report_for.update(
            (pk, gettext("report for %(period)s") % {"period": name})
            for pk, name in periods.items()
        )
        for recipient_id, by_section in sections.items():
            recipient = recipients[recipient_id]
            shown, room = [], DIGEST_LIMIT
            for name, rows in by_section.items():
                rows.sort(key=lambda r: r[:3])
                shown.append((name, tuple(entry(r[3]) for r in rows[:room])))
                room = max(room - len(rows), 0)
            counts[recipient_id] = sum(len(rows) for rows in by_section.values())
            key = tuple(shown)
            if key not in rendered_lists:
                rendered_lists[key] = email_render_part(
                    "reminder-digest-items",
                    {
                        "sections": [(SECTION_TITLES[name], entries) for name, entries in shown],
                        "deadline_label": _("Deadline"),
                    },
                )
            email = email_render(
                "reminder-digest",
                {
                    "recipient": recipient,
                    "count": counts[recipient_id],
                    "not_shown": counts[recipient_id] - sum(len(e) for _name, e in shown),
                    "escalations": by_section["escalations"],
                    "items": rendered_lists[key],
                    "withdrawals": withdrawn.get(recipient_id, []),
                    "notifications_path": reverse("notification_list"),
                },
            )
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
    return counts


def _retry_delay(attempts: int) -> timedelta:
    """5 minutes, then 15, 45, ... : each failure waits three times longer."""
    return timedelta(seconds=settings.REMINDER_EMAIL_RETRY_SECONDS * 3 ** max(attempts - 1, 0))


# Outcomes are written back in batches of this many messages: a worker that dies mid-run
# leaves at most this many sent messages still marked as being sent.
OUTCOME_BATCH = 50


def _claim(ids: list[int], *, now: datetime) -> list[EmailDelivery]:
    """Take the due messages among `ids` for this worker, in one update under a fresh token;
    those another worker holds, or that are done, are left alone."""
    token = uuid.uuid4()
    EmailDelivery.objects.filter(pk__in=ids).filter(
        Q(state__in=[EmailState.PENDING, EmailState.FAILED], next_attempt_at__lte=now)
        | Q(state=EmailState.SENDING, claimed_until__lt=now)
    ).update(
        state=EmailState.SENDING,
        claim=token,
        claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    return list(EmailDelivery.objects.filter(claim=token).order_by("pk"))


def emails_send(deliveries, *, now: datetime | None = None) -> dict[int, str]:
    """Send each of the messages that is due and not held by another worker, over one SMTP
    connection. Returns the outcome of each message tried, by its id."""
    now = now or timezone.now()
    claimed = _claim([d.pk for d in deliveries], now=now)
    outcomes: dict[int, str] = {}
    sent: list[int] = []
    connection = None
    for delivery in claimed:
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
            outcomes[delivery.pk] = _failed(delivery, error, now=now)
            # The connection may be broken; the next message opens a fresh one.
            connection = None
        else:
            sent.append(delivery.pk)
            outcomes[delivery.pk] = EmailState.SENT
            if len(sent) >= OUTCOME_BATCH:
                _mark_sent(sent, now=now)
                sent = []
    _mark_sent(sent, now=now)
    if connection is not None:
        connection.close()
    return outcomes


def _mark_sent(ids: list[int], *, now: datetime) -> None:
    if ids:
        EmailDelivery.objects.filter(pk__in=ids).update(
            state=EmailState.SENT,
            claim=None,
            claimed_until=None,
            sent_at=now,
            next_attempt_at=None,
            last_error="",
        )


def _failed(delivery: EmailDelivery, error: Exception, *, now: datetime) -> str:
    """Record a failed attempt: retry later with a longer wait, or give up after the last."""
    given_up = delivery.attempts >= settings.REMINDER_EMAIL_MAX_ATTEMPTS
    state = EmailState.GIVEN_UP if given_up else EmailState.FAILED
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        state=state,
        claim=None,
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
    return state


def emails_retry(*, now: datetime | None = None) -> dict[int, str]:
    """Send again the messages whose retry time has come, and those a dead worker left
    claimed."""
    now = now or timezone.now()
    due = EmailDelivery.objects.filter(
        Q(state__in=[EmailState.PENDING, EmailState.FAILED], next_attempt_at__lte=now)
        | Q(state=EmailState.SENDING, claimed_until__lt=now)
    ).order_by("next_attempt_at", "pk")
    return emails_send(list(due.only("pk")), now=now)


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
    with transaction.atomic():
        if Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(
            read_at=now or timezone.now()
        ):
            bell_bump([reminder.recipient_id])


def reminders_mark_all_read(*, user, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read (those that no longer apply too)."""
    with transaction.atomic():
        marked = Reminder.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=now or timezone.now()
        )
        if marked:
            bell_bump([user.pk])
    return marked


# The step a reminder sent now, by the Party Office's hand, is recorded under. Switched off,
# so that no sweep ever sends it by the schedule; it exists so that such reminders are rows
# like any other: in the bell, in the digest, superseded when their deadline changes.
REMIND_NOW_STEP = "theo-yeu-cau"


def _remind_now_step(acting_user) -> ReminderStep:
    step = ReminderStep.objects.filter(code=REMIND_NOW_STEP).first()
    if step is None:
        step = ReminderStep(
            code=REMIND_NOW_STEP,
            name="Nhắc ngay theo yêu cầu của Văn phòng Tỉnh ủy",
            name_en="Sent at once by the Party Office (never by the schedule)",
            days_from_deadline=0,
            audience=ReminderAudience.RESPONSIBLE,
            is_active=False,
        )
        tracked_save(step, acting_user=acting_user, reason=gettext("Reminders sent on request"))
    return step


@dataclass
class RemindNowResult:
    reminders: int
    recipients: int
    # What each assignment is reminded of: its deadlines.
    deadlines: dict[int, list[Deadline]]


def remind_now_plan(
    *, assignment_ids: list[int], today: date
) -> tuple[dict[int, list[Deadline]], dict[int, list], dict[int, str]]:
    """What a reminder sent now would be about, for each assignment: its open deadlines (a
    fixed deadline, the report of an open period not sent, an explanation asked for), who
    would get it (the body's officers, or its leaders if it has none), and why an assignment
    cannot be reminded of anything. A fixed number of queries however many assignments (one
    more per open period)."""
    deadlines = open_deadlines(
        today=today, lookahead=REMIND_NOW_HORIZON_DAYS, assignment_ids=set(assignment_ids)
    )
    by_assignment: dict[int, list[Deadline]] = defaultdict(list)
    for deadline in deadlines:
        by_assignment[deadline.assignment_id].append(deadline)
    people = recipients_for(body_ids={d.body_id for d in deadlines}, today=today)
    recipients = {}
    refusals = {}
    for pk in assignment_ids:
        if not by_assignment.get(pk):
            refusals[pk] = gettext(
                "Nothing to remind of: no deadline, report or explanation of it is open "
                "(or its body no longer exists)."
            )
            continue
        body_id = by_assignment[pk][0].body_id
        recipients[pk] = people.responsible(body_id)
        if not recipients[pk]:
            refusals[pk] = gettext("Its body has no officer or leader to remind.")
    return dict(by_assignment), recipients, refusals


# A reminder sent now is about every open deadline, however far ahead.
REMIND_NOW_HORIZON_DAYS = 3660


@transaction.atomic
def reminders_send_now(
    *, assignment_ids: list[int], acting_user, now: datetime | None = None
) -> RemindNowResult:
    """Remind the bodies of the selected assignments now of their open deadlines, through
    the sweep's own machinery: a Reminder row per deadline and recipient (in the bell at
    once, and struck through like any other when its deadline changes), one email digest per
    recipient, sent by the task cluster once committed. All or nothing: if one assignment
    has nothing to remind of, or nobody to remind, RowsRefused says which and nothing is
    sent. Each press is a new occurrence, so a reminder sent again is sent again."""
    if not remind_now_policy.user_has_permission(acting_user, remind_now_policy.REMIND_NOW):
        raise PermissionDenied("remind_now")
    now = now or timezone.now()
    today = timezone.localdate(now)
    visible = set(
        remind_now_policy.instances_user_has_permission_for(
            acting_user, remind_now_policy.REMIND_NOW
        )
        .filter(pk__in=assignment_ids)
        .values_list("pk", flat=True)
    )
    by_assignment, recipients, refusals = remind_now_plan(
        assignment_ids=[pk for pk in assignment_ids if pk in visible], today=today
    )
    for pk in assignment_ids:
        if pk not in visible:
            refusals[pk] = gettext("This assignment does not exist.")
    if refusals:
        raise RowsRefused({pk: refusals[pk] for pk in assignment_ids if pk in refusals})
    step = _remind_now_step(acting_user)
    # Earlier presses of the button on the same deadlines: this one is the next occurrence.
    done = {
        (subject, deadline, recipient): occurrence
        for subject, deadline, recipient, occurrence in Reminder.objects.filter(
            step=step, assignment_id__in=assignment_ids
        )
        .values_list("subject", "deadline", "recipient_id")
        .annotate(last=Max("occurrence"))
        .order_by()
    }
    sweep = uuid.uuid4()
    rows = [
        ReminderRow(
            sweep,
            deadline.kind,
            deadline.subject,
            deadline.assignment_id,
            deadline.period_id,
            deadline.explanation_id,
            deadline.deadline,
            step.pk,
            done.get((deadline.subject, deadline.deadline, recipient.pk), -1) + 1,
            (today - deadline.deadline).days,
            recipient.pk,
            now,
            deadline.body_id,
        )
        for pk in assignment_ids
        for deadline in by_assignment[pk]
        for recipient in recipients[pk]
    ]
    _reminders_insert(rows)
    bell_bump(row.recipient_id for row in rows)
    per_recipient = _digests_create(sweep=sweep, now=now)
    transaction.on_commit(lambda: async_task("notifications.jobs.reminder_emails_send", str(sweep)))
    return RemindNowResult(
        reminders=sum(per_recipient.values()),
        recipients=len(per_recipient),
        deadlines=by_assignment,
    )


def reminder_emails_send(*, sweep: uuid.UUID, now: datetime | None = None) -> dict[int, str]:
    """Send the emails of one sweep (or of one press of "remind now")."""
    return emails_send(list(EmailDelivery.objects.filter(sweep=sweep).only("pk")), now=now)
