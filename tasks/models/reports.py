from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from review.models import Reviewable, ReviewState, review_constraints

from .assignments import Assignment
from .periods import ReportingPeriod

# "123/KH-UBND", "15-CTr/TU", "45/2025/QĐ-UBND": a number, then the type and issuer codes.
DOCUMENT_NUMBER_RE = r"^\d{1,6}(/\d{4})?[-/][0-9A-Za-zĐđ]+([-/.][0-9A-Za-zĐđ]+)*$"


def attachment_storage():
    return storages["attachments"]


ReportState = ReviewState


class ProgressReport(Reviewable):
    """A body's report on one assignment for one reporting period."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="reports", verbose_name=_("assignment")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("reporting period"),
    )
    result = models.TextField(_("result achieved"), max_length=20000)
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MaxValueValidator(100)]
    )
    difficulties = models.TextField(_("difficulties"), max_length=10000, blank=True)
    proposals = models.TextField(_("proposals"), max_length=10000, blank=True)
    claims_completion = models.BooleanField(_("the task is completed"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period__due_on", "assignment__item__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="report_one_per_assignment_and_period"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="report_percent_at_most_100"
            ),
            *review_constraints("report"),
        ]
        indexes = [models.Index(fields=["period", "state"], name="report_period_state")]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.period}"


class CitedDocument(models.Model):
    """A document cited as evidence: its number, date and issuer."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("report"),
    )
    number = models.CharField(
        _("document number"),
        max_length=50,
        validators=[
            RegexValidator(
                DOCUMENT_NUMBER_RE,
                _('Write the document number as printed, e.g. "123/KH-UBND" or "15-CTr/TU".'),
            )
        ],
    )
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=255)
    title = models.CharField(_("title"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cited document")
        verbose_name_plural = _("cited documents")
        ordering = ["issued_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class Attachment(models.Model):
    """A file attached to a report, kept outside the static files and served through the
    permission policy."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("report"),
    )
    file = models.FileField(
        _("file"), storage=attachment_storage, upload_to="%Y/%m/", max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """A leader's request to move an assignment's deadline, and the reviewer's decision."""

    State = ExtensionState

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="extension_requests",
        verbose_name=_("assignment"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    reason = models.TextField(_("reason"), max_length=5000)
    current_deadline = models.DateField(_("deadline when requested"))
    proposed_deadline = models.DateField(_("proposed deadline"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=5000, blank=True)
    # Set when a reorganisation carried the pending request from an ended body's assignment
    # to its successor's: the assignment it was first asked on, which keeps its own history.
    carried_from = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carried from"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(proposed_deadline__gt=models.F("current_deadline")),
                name="extension_moves_deadline_later",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="extension_decision_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.proposed_deadline:%d/%m/%Y}"


class Finding(models.Model):
    """A supervising body's finding on a task it supervises."""

    supervision = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("supervision"),
        limit_choices_to={"role": "supervise"},
    )
    period = models.ForeignKey(
        ReportingPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("reporting period"),
    )
    text = models.TextField(_("finding"), max_length=10000)
    recommendation = models.TextField(_("recommendation"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision finding")
        verbose_name_plural = _("supervision findings")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return self.text[:80]
