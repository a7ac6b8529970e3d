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
        return self.filter(read_at__isnull=True)


class Reminder(models.Model):
    """One reminder to one person about one deadline at one step of the policy.

    Not history-tracked: the rows are themselves the delivery log, written once; only the
    read mark changes afterwards.

    The unique constraint is what makes a reminder go out at most once: a sweep claims the
    reminders it sends by inserting these rows, and a row another sweep already inserted is
    "already sent". The same rows are the person's in-app notifications and the delivery log.
    """

    SubjectKind = SubjectKind

    sweep = models.UUIDField(_("sweep"), default=uuid.uuid4, db_index=True)
    subject_kind = models.CharField(_("about"), max_length=16, choices=SubjectKind.choices)
    # What the reminder is about, as a key that never holds NULL, so the unique constraint
    # behaves the same on every database: "a12" for assignment 12, "a12/p3" for its report
    # in period 3, "e7" for explanation request 7.
    subject = models.CharField(_("subject key"), max_length=60)
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
    deadline = models.DateField(_("deadline"))
    step = models.ForeignKey(
        ReminderStep,
        on_delete=models.PROTECT,
        # Not indexed, like period: a step in use is switched off, not deleted.
        db_index=False,
        related_name="reminders",
        verbose_name=_("step"),
    )
    # Which repetition of a repeating step: 0, 1, 2, ...
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=0)
    # Days from the deadline on the day it went out (negative: before it).
    days_from_deadline = models.SmallIntegerField(_("days from the deadline"))
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
            models.CheckConstraint(
                condition=Q(subject_kind__in=[k.value for k in SubjectKind]),
                name="reminder_subject_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind="deadline", period__isnull=True)
                | Q(subject_kind="period_report", period__isnull=False)
                | Q(subject_kind="explanation", period__isnull=True),
                name="reminder_period_iff_period_report",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind="explanation", explanation_request__isnull=False)
                | Q(
                    ~Q(subject_kind="explanation"),
                    explanation_request__isnull=True,
                    assignment__isnull=False,
                ),
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
                condition=Q(read_at__isnull=True),
                name="reminder_recipient_unread",
            ),
        ]

    def __str__(self) -> str:
        about = self.assignment_id or f"e{self.explanation_request_id}"
        return f"{self.step} — {about} — {self.recipient}"

    @property
    def email(self) -> "EmailDelivery | None":
        return EmailDelivery.objects.filter(
            sweep=self.sweep, recipient_id=self.recipient_id
        ).first()

    @property
    def is_escalation(self) -> bool:
        return self.step.audience == ReminderAudience.ESCALATION
