"""Notices of workflow events: who is told of each step, the rows of their bell, and the email
that carries them, at once or in the daily digest, as each person prefers.

Every step of the workflows is announced on `review.signals.workflow_step` once committed
(notifications.receivers queues a job; nothing here runs in the request). Who is told:

- a report or a figure submitted (or submitted again): the Party Office's reviewers;
- returned or accepted: the body's officers and leaders;
- an extension requested: the reviewers; decided: the body's leaders; one a reorganisation
  carried to a successor's assignment: the reviewers and the successor's leaders;
- a finding recorded on a supervision assignment: the bodies whose work it is about, that is
  the bodies that report on the same task (their officers and leaders), each notice linking
  to that body's own assignment, where the task's findings are shown;
- an explanation requested: the body's officers and leaders (also when a reorganisation
  passes it to a successor: the successor's); answered: the reviewer who asked;
- a message in an assignment's discussion: the other side of the thread (the body when the
  Party Office or a supervisor wrote, the Party Office and the task's supervisors when the
  body wrote, the body's other members when it is about a report still in draft), as
  `discussion.selectors.message_audience` tells it.

Nobody is told of their own action, and nobody is told of what they may not open: each
recipient is asked of the object's own permission policy, the one its page asks.

A notice is written once: the unique constraint on (subject, event, the step's own time,
recipient) turns a rerun or a retry of the job into nothing. The email of a notice sent at
once has a sweep key derived from the notice, so a rerun finds its message already there.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from discussion.models import Message
from discussion.permissions import discussion_policy
from discussion.selectors import message_audience
from indicators.models import ExplanationRequest, YearlyFigure
from indicators.permissions import explanation_policy, figure_policy
from review.services import tracked_save
from tasks.models import Assignment, ExtensionRequest, Finding, ProgressReport
from tasks.permissions import Action, assignment_policy, report_policy

from .bell import bell_bump
from .emails import email_render
from .models import (
    NOTICE_DEFAULTS,
    EmailDelivery,
    EmailState,
    NoticeDelivery,
    NoticeEvent,
    NoticePreference,
    Reminder,
    SubjectKind,
)
from .selectors import notices_for_display, recipients_for
from .services import emails_send
from .supersession import withdrawals_claim

logger = logging.getLogger(__name__)

# Notices mailed at once take their message's key from here and the notice's own key.
NOTICE_NAMESPACE = uuid.UUID("6f1c7e0a-23b4-4c55-9d1e-0a23e0c1a7d3")

# The models whose steps are told, by the label the job receives.
MODELS = {
    "tasks.progressreport": ProgressReport,
    "indicators.yearlyfigure": YearlyFigure,
    "tasks.extensionrequest": ExtensionRequest,
    "tasks.finding": Finding,
    "indicators.explanationrequest": ExplanationRequest,
    "discussion.message": Message,
}

# Each model's own time of each step: the key that tells two returns of one report apart.
STEP_TIME = {
    "submitted": "submitted_at",
    "resubmitted": "submitted_at",
    "accepted": "reviewed_at",
    "returned": "reviewed_at",
    "extension_requested": "requested_at",
    "extension_decided": "decided_at",
    "finding_recorded": "recorded_at",
    "explanation_requested": "requested_at",
    "explanation_answered": "answered_at",
    "message_posted": "created_at",
}


def step_time(instance, step: str) -> datetime:
    return getattr(instance, STEP_TIME.get(step, ""), None) or timezone.now()


@dataclass
class Told:
    """One person to tell, and what their notice points at."""

    user: object
    assignment_id: int | None
    body_id: int | None
    # The assignment whose page the link opens, when that is where it leads.
    assignment: Assignment | None = None


def _audience(obj, event: str, *, today) -> tuple[str, dict, list[Told]]:
    """The notice's subject key, its object's fields, and the people to tell, before the
    policy and the acting user are taken out."""
    if isinstance(obj, ProgressReport | YearlyFigure):
        report = isinstance(obj, ProgressReport)
        body_id = obj.assignment.body_id if report else obj.body_id
        assignment_id = obj.assignment_id if report else None
        fields = {"progress_report": obj} if report else {"yearly_figure": obj}
        subject = f"report{obj.pk}" if report else f"figure{obj.pk}"
        people = recipients_for(body_ids={body_id}, today=today)
        if event in (NoticeEvent.SUBMITTED, NoticeEvent.RESUBMITTED):
            users = people.party_office
        else:
            users = [*people.officers.get(body_id, []), *people.leaders.get(body_id, [])]
        return subject, fields, [Told(u, assignment_id, body_id) for u in users]
    if isinstance(obj, ExtensionRequest):
        body_id = obj.assignment.body_id
        people = recipients_for(body_ids={body_id}, today=today)
        if event == NoticeEvent.EXTENSION_REQUESTED:
            users = people.party_office
            if obj.carried_from_id is not None:
                # Carried to a successor by a reorganisation: its leaders learn it waits.
                users = [*users, *people.leaders.get(body_id, [])]
        else:
            users = people.leaders.get(body_id, [])
        told = [Told(u, obj.assignment_id, body_id, obj.assignment) for u in users]
        return f"extension{obj.pk}", {"extension_request": obj}, told
    if isinstance(obj, Finding):
        # The finding is about the work of the bodies that carry out the task it was recorded
        # on; each is told on its own assignment, whose page shows the task's findings.
        by_body: dict[int, Assignment] = {}
        for assignment in (
            Assignment.objects.reporting()
            .filter(item_id=obj.supervision.item_id, cancelled_on__isnull=True)
            .filter(body__in=_active_bodies(today))
            .order_by("pk")
        ):
            by_body.setdefault(assignment.body_id, assignment)
        people = recipients_for(body_ids=set(by_body), today=today)
        told = [
            Told(u, assignment.pk, body_id, assignment)
            for body_id, assignment in by_body.items()
            for u in [*people.officers.get(body_id, []), *people.leaders.get(body_id, [])]
        ]
        return f"finding{obj.pk}", {"finding": obj}, told
    if isinstance(obj, ExplanationRequest):
        fields = {"explanation_request": obj}
        if event == NoticeEvent.EXPLANATION_ANSWERED:
            asker = obj.requested_by
            told = [Told(asker, obj.assignment_id, obj.body_id)] if asker.is_active else []
            return f"explanation{obj.pk}", fields, told
        people = recipients_for(body_ids={obj.body_id}, today=today)
        users = [*people.officers.get(obj.body_id, []), *people.leaders.get(obj.body_id, [])]
        return (
            f"explanation{obj.pk}",
            fields,
            [Told(u, obj.assignment_id, obj.body_id) for u in users],
        )
    if isinstance(obj, Message):
        # The other side of the thread, as the discussion app tells it.
        assignment = obj.assignment
        told = [
            Told(u, assignment.pk, assignment.body_id, assignment)
            for u in message_audience(obj, today=today)
        ]
        return f"message{obj.pk}", {"message": obj}, told
    raise ValueError(f"no notices for {type(obj).__name__}")


def _active_bodies(today):
    from accounts.models import Body

    return Body.objects.active_on(today)


def _may_see(user, obj, assignment: Assignment | None) -> bool:
    """The question the object's page asks of whoever opens the notice's link."""
    if isinstance(obj, ProgressReport):
        return report_policy.user_has_permission_for_instance(user, Action.VIEW, obj)
    if isinstance(obj, YearlyFigure):
        return figure_policy.user_has_permission_for_instance(user, "view", obj)
    if isinstance(obj, ExplanationRequest):
        return explanation_policy.user_has_permission_for_instance(user, "view", obj)
    if isinstance(obj, Message):
        return discussion_policy.user_has_permission_for_instance(user, "view", obj)
    return assignment_policy.user_has_permission_for_instance(user, Action.VIEW, assignment)


def _load(model: str, pk: int):
    related = {
        "tasks.progressreport": ["assignment__item", "assignment__body", "period"],
        "indicators.yearlyfigure": ["target", "body"],
        "tasks.extensionrequest": ["assignment__item", "assignment__body"],
        "tasks.finding": ["supervision__item", "supervision__body"],
        "indicators.explanationrequest": ["requested_by", "body", "target"],
        "discussion.message": ["assignment__item", "assignment__body", "author", "report"],
    }[model]
    return MODELS[model].objects.select_related(*related).filter(pk=pk).first()


def notice_key(subject: str, event: str, occurred_at: datetime, recipient_id: int) -> uuid.UUID:
    """The key of the message that carries a notice sent at once: the same on every rerun."""
    stamp = occurred_at.astimezone(UTC).isoformat()
    return uuid.uuid5(NOTICE_NAMESPACE, f"{subject}|{event}|{stamp}|{recipient_id}")


@dataclass
class NoticeResult:
    written: int = 0
    already_written: int = 0
    mailed: int = 0

    @property
    def summary(self) -> str:
        return (
            f"notices: written {self.written}, already written {self.already_written}, "
            f"mailed at once {self.mailed}"
        )


def notices_record(
    *,
    model: str,
    pk: int,
    event: str,
    acting_user_id: int | None,
    occurred_at: datetime,
    now: datetime | None = None,
) -> NoticeResult:
    """Write the notices of one step, and mail at once those their recipients want at once.

    Run by the job the step queued; running it again writes and mails nothing more."""
    now = now or timezone.now()
    obj = _load(model, pk)
    if obj is None:
        return NoticeResult()
    subject, fields, told = _audience(obj, event, today=timezone.localdate(now))
    seen: set[int] = set()
    chosen: list[Told] = []
    for person in told:
        user = person.user
        if user.pk == acting_user_id or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if _may_see(user, obj, person.assignment):
            chosen.append(person)
    preferences = NoticePreference.objects.deliveries_for([p.user.pk for p in chosen], event)
    rows = []
    for person in chosen:
        delivery = preferences[person.user.pk]
        rows.append(
            Reminder(
                subject_kind=SubjectKind.EVENT,
                subject=subject,
                event=event,
                occurred_at=occurred_at,
                delivery=delivery,
                sweep=notice_key(subject, event, occurred_at, person.user.pk)
                if delivery == NoticeDelivery.AT_ONCE
                else None,
                recipient=person.user,
                assignment_id=person.assignment_id,
                body_id=person.body_id,
                created_at=now,
                **fields,
            )
        )
    with transaction.atomic():
        before = _written(subject, event, occurred_at).count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        bell_bump(person.user.pk for person in chosen)
        written = _written(subject, event, occurred_at)
        result = NoticeResult(written=written.count() - before)
        result.already_written = len(rows) - result.written
        # From the rows as written (the first run's choices), never from this run's.
        at_once = list(notices_for_display(written.filter(delivery=NoticeDelivery.AT_ONCE)))
        _at_once_emails_create(at_once, now=now)
    if at_once:
        deliveries = EmailDelivery.objects.filter(
            sweep__in=[n.sweep for n in at_once],
            state__in=[EmailState.PENDING, EmailState.FAILED],
        ).only("pk")
        outcomes = emails_send(list(deliveries), now=now)
        result.mailed = sum(1 for s in outcomes.values() if s == EmailState.SENT)
    logger.info(result.summary)
    return result


def _written(subject: str, event: str, occurred_at: datetime):
    return Reminder.objects.filter(
        subject_kind=SubjectKind.EVENT, subject=subject, event=event, occurred_at=occurred_at
    )


@dataclass(frozen=True)
class NoticeLine:
    """A notice as an email tells it, in the message's language."""

    title: str
    what: str
    detail: str
    path: str


def notice_line(notice: Reminder) -> NoticeLine:
    """Needs the notice read through notices_for_display."""
    detail = ""
    if notice.progress_report_id is not None:
        report = notice.progress_report
        what = f"{report.assignment.item.citation} · {report.assignment.body.display_name} · " + (
            gettext("report for %(period)s") % {"period": report.period.name}
        )
        if notice.event == NoticeEvent.RETURNED:
            detail = report.return_reason
    elif notice.yearly_figure_id is not None:
        figure = notice.yearly_figure
        what = f"{figure.target.display_name} · {figure.year} · {figure.body.display_name}"
        if notice.event == NoticeEvent.RETURNED:
            detail = figure.return_reason
    elif notice.extension_request_id is not None:
        extension = notice.extension_request
        what = f"{extension.assignment.item.citation} · {extension.assignment.body.display_name}"
        if notice.event == NoticeEvent.EXTENSION_REQUESTED:
            detail = gettext("Proposed deadline: %(date)s. %(reason)s") % {
                "date": extension.proposed_deadline.strftime("%d/%m/%Y"),
                "reason": extension.reason,
            }
        elif extension.state == ExtensionRequest.State.APPROVED:
            detail = gettext("New deadline: %(date)s.") % {
                "date": extension.proposed_deadline.strftime("%d/%m/%Y")
            }
            if extension.decision_note:
                detail += " " + extension.decision_note
        else:
            detail = extension.decision_note
    elif notice.message_id is not None:
        message = notice.message
        what = (
            f"{notice.assignment.item.key} · {notice.assignment.body.display_name} · "
            + message.author.display_name
        )
        detail = message.text
    elif notice.finding_id is not None:
        finding = notice.finding
        what = f"{notice.assignment.item.citation} · {finding.supervision.body.display_name}"
        detail = finding.text
    else:
        explanation = notice.explanation_request
        subject = (
            notice.assignment.item.citation
            if notice.assignment_id is not None
            else explanation.target.display_name
        )
        what = f"{subject} · {explanation.body.display_name}"
        if notice.event == NoticeEvent.EXPLANATION_ANSWERED:
            detail = explanation.answer
        else:
            detail = gettext("%(question)s (due %(date)s)") % {
                "question": explanation.question,
                "date": explanation.due_on.strftime("%d/%m/%Y"),
            }
    return NoticeLine(
        title=notice.title,
        what=what,
        detail=Truncator(detail).words(60),
        path=notice.link,
    )


def _at_once_emails_create(notices: list[Reminder], *, now: datetime) -> None:
    """One message per notice, unless a run before this one already wrote it."""
    deliveries = []
    with translation.override(settings.LANGUAGE_CODE):
        for notice in notices:
            recipient = notice.recipient
            email = email_render(
                "notice",
                {
                    "recipient": recipient,
                    "line": notice_line(notice),
                    "preferences_path": reverse("notice_preferences"),
                },
            )
            deliveries.append(_delivery(notice.sweep, recipient, email, now=now))
    EmailDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)


def _delivery(sweep: uuid.UUID, recipient, email, *, now: datetime) -> EmailDelivery:
    return EmailDelivery(
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


@dataclass
class DigestResult:
    mailed: int = 0
    notices: int = 0
    withdrawals: int = 0

    @property
    def summary(self) -> str:
        return (
            f"daily digest: {self.mailed} emails, {self.notices} notices, "
            f"{self.withdrawals} reminders withdrawn"
        )


def notices_digest(*, now: datetime | None = None) -> DigestResult:
    """The daily digest: to each person, the notices they chose to receive this way and not
    yet mailed, and a line for each reminder they were mailed that no longer applies.

    Rows are claimed by a conditional update under this run's key, so two runs at once share
    them out rather than mail them twice."""
    now = now or timezone.now()
    sweep = uuid.uuid4()
    with transaction.atomic():
        Reminder.objects.filter(
            subject_kind=SubjectKind.EVENT, delivery=NoticeDelivery.DIGEST, sweep__isnull=True
        ).update(sweep=sweep)
        notices = list(
            notices_for_display(Reminder.objects.filter(sweep=sweep)).order_by("created_at", "pk")
        )
        withdrawn = withdrawals_claim(sweep=sweep, now=now)
        by_recipient: dict[int, list[Reminder]] = defaultdict(list)
        for notice in notices:
            by_recipient[notice.recipient_id].append(notice)
        recipient_ids = set(by_recipient) | set(withdrawn)
        from accounts.models import User

        recipients = User.objects.in_bulk(recipient_ids)
        deliveries = []
        with translation.override(settings.LANGUAGE_CODE):
            for recipient_id in sorted(recipient_ids):
                recipient = recipients[recipient_id]
                lines = [notice_line(n) for n in by_recipient.get(recipient_id, [])]
                email = email_render(
                    "notice-digest",
                    {
                        "recipient": recipient,
                        "lines": lines,
                        "withdrawals": withdrawn.get(recipient_id, []),
                        "notifications_path": reverse("notification_list"),
                        "preferences_path": reverse("notice_preferences"),
                    },
                )
                deliveries.append(_delivery(sweep, recipient, email, now=now))
        EmailDelivery.objects.bulk_create(deliveries)
    result = DigestResult(notices=len(notices), withdrawals=sum(len(w) for w in withdrawn.values()))
    if deliveries:
        outcomes = emails_send(list(EmailDelivery.objects.filter(sweep=sweep).only("pk")), now=now)
        result.mailed = sum(1 for s in outcomes.values() if s == EmailState.SENT)
    logger.info(result.summary)
    return result


@transaction.atomic
def notice_preferences_set(*, user, choices: dict[str, str], acting_user) -> list[str]:
    """Record how the person wants each kind of notice mailed; only changes are written, each
    with its history. Returns the events whose choice changed."""
    current = {p.event: p for p in NoticePreference.objects.select_for_update().filter(user=user)}
    changed = []
    for event, delivery in choices.items():
        NoticeEvent(event)
        NoticeDelivery(delivery)
        preference = current.get(event)
        before = preference.delivery if preference else NOTICE_DEFAULTS[event]
        if before == delivery:
            continue
        if preference is None:
            preference = NoticePreference(user=user, event=event)
        preference.delivery = delivery
        tracked_save(preference, acting_user=acting_user, reason=gettext("Notice preference set"))
        changed.append(event)
    return changed
