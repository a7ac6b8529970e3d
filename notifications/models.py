"""Deadline reminders: the policy that decides when they go out, the record of each one sent,
and the mail that carried them.

Glossary of the Vietnamese terms behind the English names:
- reminder: nhắc việc, đôn đốc (a notice that a deadline is near or has passed)
- escalation: báo cáo vượt cấp (the body's leader and the Party Office are told)
- reminder step: mốc nhắc (7 days before, 1 day before, on the day, every 7 days overdue, ...)
- notification bell: thông báo
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import BilingualNameMixin


class ReminderAudience(models.TextChoices):
    RESPONSIBLE = "responsible", _("The body's officers (its leaders if it has no officer)")
    ESCALATION = "escalation", _("The body's leaders and the Party Office")


class ReminderStepManager(models.Manager):
    def get_by_natural_key(self, code: str) -> "ReminderStep":
        return self.get(code=code)


class ReminderStep(BilingualNameMixin, models.Model):
    """One step of the reminder policy, counted in days from a deadline: negative before it,
    zero on the day, positive after it; optionally repeated while the deadline stays missed.

    The policy is data: an administrator adds, changes or switches off steps in the admin.
    """

    Audience = ReminderAudience

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    days_from_deadline = models.SmallIntegerField(
        _("days from the deadline"),
        help_text=_("Negative before the deadline, 0 on the day, positive after it."),
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: once. Otherwise again every so many days while the deadline is missed."
        ),
    )
    audience = models.CharField(
        _("sent to"), max_length=12, choices=ReminderAudience.choices, default="responsible"
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ReminderStepManager()

    class Meta:
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder policy")
        ordering = ["audience", "days_from_deadline", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(repeat_every_days__isnull=True) | Q(repeat_every_days__gt=0),
                name="reminder_step_repeat_positive",
            ),
            models.CheckConstraint(
                condition=Q(repeat_every_days__isnull=True) | Q(days_from_deadline__gte=0),
                name="reminder_step_repeats_only_after_deadline",
            ),
            models.CheckConstraint(
                condition=Q(days_from_deadline__gte=-366) & Q(days_from_deadline__lte=366),
                name="reminder_step_within_a_year",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=[a.value for a in ReminderAudience]),
                name="reminder_step_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class SubjectKind(models.TextChoices):
    ASSIGNMENT_DEADLINE = "deadline", _("Assignment deadline")
    PERIOD_REPORT = "period_report", _("Report due for a reporting period")
    EXPLANATION = "explanation", _("Explanation requested by the Party Office")
    EVENT = "event", _("A step of a workflow")


# The kinds that are reminders of a deadline; the rest are notices of events.
DEADLINE_KINDS = ("deadline", "period_report", "explanation")


class NoticeEvent(models.TextChoices):
    """The workflow steps a notice is written for: `review.signals.workflow_step`'s names."""

    SUBMITTED = "submitted", _("A report or figure submitted for review")
    RESUBMITTED = "resubmitted", _("A returned report or figure submitted again")
    ACCEPTED = "accepted", _("A report or figure accepted")
    RETURNED = "returned", _("A report or figure returned")
    EXTENSION_REQUESTED = "extension_requested", _("An extension requested")
    EXTENSION_DECIDED = "extension_decided", _("An extension decided")
    FINDING_RECORDED = "finding_recorded", _("A supervision finding recorded")
    EXPLANATION_REQUESTED = "explanation_requested", _("An explanation requested")
    EXPLANATION_ANSWERED = "explanation_answered", _("An explanation answered")
    MESSAGE_POSTED = "message_posted", _("A message in an assignment's discussion")


class NoticeDelivery(models.TextChoices):
    AT_ONCE = "at_once", _("By email at once")
    DIGEST = "digest", _("In the daily digest")


# Returns and decisions call for action, so they go at once unless the person chose otherwise;
# the rest wait for the morning digest.
NOTICE_DEFAULTS = {
    event: NoticeDelivery.AT_ONCE
    if event
    in (
        NoticeEvent.RETURNED,
        NoticeEvent.EXTENSION_DECIDED,
        NoticeEvent.EXPLANATION_ANSWERED,
        NoticeEvent.MESSAGE_POSTED,
    )
    else NoticeDelivery.DIGEST
    for event in NoticeEvent
}


class SupersededReason(models.TextChoices):
    """Why a reminder no longer applies: its deadline is not the current one."""

    DEADLINE_CHANGED = "deadline_changed", _("The deadline changed")
    COMPLETED = "completed", _("The task was completed")
    CANCELLED = "cancelled", _("The assignment was cancelled")
    MOVED = "moved", _("The work moved to another body")


class EmailState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GIVEN_UP = "given_up", _("Given up")
    NO_ADDRESS = "no_address", _("No email address")


class EmailDelivery(models.Model):
    """One reminder digest mailed to one person: the message as sent, and every attempt's
    outcome. A failure is retried with growing delays and stays here until it succeeds or is
    given up; nothing is dropped silently."""

    State = EmailState

    sweep = models.UUIDField(_("sweep"), db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    to_address = models.EmailField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML"))
    state = models.CharField(
        _("state"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A worker claims messages in bulk under its own token and holds them until claimed_until;
    # a worker that died lets them go when that passes.
    claim = models.UUIDField(_("claim"), null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sweep", "recipient"], name="email_one_digest_per_sweep_and_recipient"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in EmailState]), name="email_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="email_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="email_due_retry")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address or self.recipient}"


class ReminderQuerySet(models.QuerySet):
    def unread(self) -> "ReminderQuerySet":
        """What the bell counts: not read, and still applying."""
        return self.filter(read_at__isnull=True, superseded_at__isnull=True)

    def live(self) -> "ReminderQuerySet":
        """Reminders whose deadline is still the current one."""
        return self.filter(subject_kind__in=DEADLINE_KINDS, superseded_at__isnull=True)


class Reminder(models.Model):
    """One reminder to one person about one deadline at one step of the policy, or one notice
    to one person of one step of a workflow (subject_kind "event"): the rows of the bell.

    Not history-tracked: the rows are themselves the delivery log, written once; only the
    read mark, and on a reminder the mark that it no longer applies, change afterwards.

    The unique constraint is what makes a reminder go out at most once: a sweep claims the
    reminders it sends by inserting these rows, and a row another sweep already inserted is
    "already sent". The same rows are the person's in-app notifications and the delivery log.
    """

    SubjectKind = SubjectKind
    Event = NoticeEvent
    Delivery = NoticeDelivery
    SupersededReason = SupersededReason

    # The sweep, or for a notice the message, whose email carried it: EmailDelivery with the
    # same sweep and recipient. Empty on a notice still waiting for the daily digest.
    sweep = models.UUIDField(_("sweep"), default=uuid.uuid4, null=True, blank=True, db_index=True)
    subject_kind = models.CharField(_("about"), max_length=16, choices=SubjectKind.choices)
    # What the reminder is about, as a key that never holds NULL, so the unique constraint
    # behaves the same on every database: "a12" for assignment 12, "a12/p3" for its report
    # in period 3, "e7" for explanation request 7. A notice names the object of the event:
    # "report12", "figure4", "extension5", "finding9", "explanation7".
    subject = models.CharField(_("subject key"), max_length=60)
    # A notice's event, and when it happened (the step's own time on the object): with the
    # subject and the recipient, what makes a notice written once.
    # The sweep's own insert names only the reminder's columns: the database fills the rest.
    event = models.CharField(
        _("event"),
        max_length=24,
        choices=NoticeEvent.choices,
        blank=True,
        default="",
        db_default="",
    )
    occurred_at = models.DateTimeField(_("happened at"), null=True, blank=True)
    delivery = models.CharField(
        _("email"),
        max_length=8,
        choices=NoticeDelivery.choices,
        blank=True,
        default="",
        db_default="",
    )
    # The body whose deadline a reminder is about, as it was when the reminder went out: when
    # the work moves to another body, the reminder no longer applies.
    body = models.ForeignKey(
        "accounts.Body",
        null=True,
        blank=True,
        # Not indexed, like period: bodies are retired, not deleted.
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("body"),
    )
    # Empty for an explanation request about an indicator.
    assignment = models.ForeignKey(
        "tasks.Assignment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("assignment"),
    )
    explanation_request = models.ForeignKey(
        "indicators.ExplanationRequest",
        null=True,
        blank=True,
        # Not indexed, like period: requests are closed, not deleted.
        db_index=False,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("explanation request"),
    )
    # The object of a notice. Indexed only where set (see Meta), so reminders, which never set
    # them, cost no index writes.
    progress_report = models.ForeignKey(
        "tasks.ProgressReport",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("progress report"),
    )
    yearly_figure = models.ForeignKey(
        "indicators.YearlyFigure",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("yearly figure"),
    )
    extension_request = models.ForeignKey(
        "tasks.ExtensionRequest",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("extension request"),
    )
    finding = models.ForeignKey(
        "tasks.Finding",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("supervision finding"),
    )
    message = models.ForeignKey(
        "discussion.Message",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("message"),
    )
    period = models.ForeignKey(
        "tasks.ReportingPeriod",
        null=True,
        blank=True,
        # Not indexed: periods are not deleted in practice, and each index slows the sweep's
        # inserts.
        db_index=False,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("reporting period"),
    )
    # Empty on a notice, as are the step and the day count.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    step = models.ForeignKey(
        ReminderStep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        # Not indexed, like period: a step in use is switched off, not deleted.
        db_index=False,
        related_name="reminders",
        verbose_name=_("step"),
    )
    # Which repetition of a repeating step: 0, 1, 2, ...
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=0)
    # Days from the deadline on the day it went out (negative: before it).
    days_from_deadline = models.SmallIntegerField(
        _("days from the deadline"), null=True, blank=True
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        # The (recipient, created_at) index below serves every lookup by recipient.
        db_index=False,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The email that carried it is the sweep's digest to the recipient: EmailDelivery with the
    # same sweep and recipient. No foreign key, so claiming tens of thousands of reminders
    # needs no second write to each.

    # Set (by the sweep, or at once by a receiver when an assignment, a period or an
    # explanation request is saved) when the reminder's deadline is no longer the current
    # one: it then leaves the unread count and shows struck through. Never typed.
    superseded_at = models.DateTimeField(_("no longer applies since"), null=True, blank=True)
    superseded_reason = models.CharField(
        _("why it no longer applies"),
        max_length=16,
        choices=SupersededReason.choices,
        blank=True,
        default="",
        db_default="",
    )
    # The deadline that replaced it, if there is one.
    superseded_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    # The digest that told the recipient an emailed reminder no longer applies.
    withdrawal_sweep = models.UUIDField(_("withdrawn in digest"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject", "deadline", "step", "occurrence", "recipient"],
                name="reminder_once_per_deadline_step_and_recipient",
            ),
            # A notice's deadline and step are NULL, which the constraint above does not
            # compare: notices have their own.
            models.UniqueConstraint(
                fields=["subject", "event", "occurred_at", "recipient"],
                condition=Q(subject_kind="event"),
                name="notice_once_per_event_and_recipient",
            ),
            models.CheckConstraint(
                condition=Q(
                    subject_kind="event",
                    event__in=[e.value for e in NoticeEvent],
                    occurred_at__isnull=False,
                    delivery__in=[d.value for d in NoticeDelivery],
                    step__isnull=True,
                )
                | Q(
                    ~Q(subject_kind="event"),
                    event="",
                    step__isnull=False,
                    deadline__isnull=False,
                    days_from_deadline__isnull=False,
                    sweep__isnull=False,
                ),
                name="reminder_event_iff_notice",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True, superseded_reason="")
                | Q(
                    superseded_at__isnull=False,
                    superseded_reason__in=[r.value for r in SupersededReason],
                ),
                name="reminder_superseded_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind__in=[k.value for k in SubjectKind]),
                name="reminder_subject_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind="deadline", period__isnull=True)
                | Q(subject_kind="period_report", period__isnull=False)
                | Q(subject_kind="explanation", period__isnull=True)
                | Q(subject_kind="event"),
                name="reminder_period_iff_period_report",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind="explanation", explanation_request__isnull=False)
                | Q(
                    subject_kind__in=["deadline", "period_report"],
                    explanation_request__isnull=True,
                    assignment__isnull=False,
                )
                | Q(subject_kind="event"),
                name="reminder_explanation_iff_explanation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="reminder_recipient_recent",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, superseded_at__isnull=True),
                name="reminder_recipient_unread_live",
            ),
            # The digest looks for notices not yet mailed.
            models.Index(
                fields=["recipient"],
                condition=Q(subject_kind="event", sweep__isnull=True),
                name="notice_waiting_for_digest",
            ),
            *[
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"notice_{name}"
                )
                for name in (
                    "progress_report",
                    "yearly_figure",
                    "extension_request",
                    "finding",
                    "message",
                )
            ],
        ]

    def __str__(self) -> str:
        if self.is_notice:
            return f"{self.get_event_display()} — {self.subject} — {self.recipient}"
        about = self.assignment_id or f"e{self.explanation_request_id}"
        return f"{self.step} — {about} — {self.recipient}"

    @property
    def is_notice(self) -> bool:
        return self.subject_kind == SubjectKind.EVENT

    @property
    def title(self) -> str:
        """What the bell and the email call it; for a reminder, from its one day count."""
        from .wording import notice_title, reminder_title

        if self.is_notice:
            return notice_title(self)
        return reminder_title(self.subject_kind, self.days_from_deadline, deadline=self.deadline)

    @property
    def link(self) -> str:
        """The page of what it is about; that page asks its own policy of whoever opens it."""
        from .wording import reminder_link

        return reminder_link(self)

    @property
    def email(self) -> "EmailDelivery | None":
        return EmailDelivery.objects.filter(
            sweep=self.sweep, recipient_id=self.recipient_id
        ).first()

    @property
    def is_escalation(self) -> bool:
        return self.step.audience == ReminderAudience.ESCALATION


class NoticePreferenceManager(models.Manager):
    def deliveries_for(self, user_ids, event: str) -> dict[int, str]:
        """How each of the people wants notices of the event mailed; one query."""
        chosen = dict(
            self.filter(user_id__in=user_ids, event=event).values_list("user_id", "delivery")
        )
        return {pk: chosen.get(pk, NOTICE_DEFAULTS[event]) for pk in user_ids}


class NoticePreference(models.Model):
    """A person's choice for one kind of event: mailed at once or in the daily digest. Without
    a row, the default of NOTICE_DEFAULTS holds. Every notice is in the bell whatever the
    choice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=24, choices=NoticeEvent.choices)
    delivery = models.CharField(_("email"), max_length=8, choices=NoticeDelivery.choices)
    history = HistoricalRecords()

    objects = NoticePreferenceManager()

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        ordering = ["user", "event"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notice_preference_once"),
            models.CheckConstraint(
                condition=Q(event__in=[e.value for e in NoticeEvent]),
                name="notice_preference_event_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=[d.value for d in NoticeDelivery]),
                name="notice_preference_delivery_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_event_display()}: {self.get_delivery_display()}"
