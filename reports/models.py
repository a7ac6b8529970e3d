"""Generated reports: each a kept snapshot of one build, with its parameters, who asked and
when, its checksum and its files.

A generated report carries no HistoricalRecords: it only moves forward (queued, running, then
done or failed), each step stamps its own time (requested_at, started_at, finished_at), and once
done nothing of it changes. Its files are the record; the security log records who downloaded
them.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Body
from programme.models import Programme
from tasks.models import ReportingPeriod


def report_storage():
    return storages["reports"]


class GeneratedReportKind(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", _("Status report to the Standing Committee")
    OVERSIGHT = "oversight", _("Oversight report")
    BODY = "body", _("Body's report")


class GeneratedReportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedReport(models.Model):
    """One build of a report: for a reporting period (the data as of the moment it was asked
    for) or as of a date (the data as it stood at the end of that day)."""

    Kind = GeneratedReportKind
    State = GeneratedReportState

    # Kinds about one body: the supervising body, or the body reporting on its own work.
    BODY_KINDS = (GeneratedReportKind.OVERSIGHT, GeneratedReportKind.BODY)

    kind = models.CharField(_("kind"), max_length=20, choices=GeneratedReportKind.choices)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("programme")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reporting period"),
    )
    as_of_date = models.DateField(_("as of the date"), null=True, blank=True)
    # The moment whose data the report shows: the end of as_of_date, or, for a period, the
    # moment it was asked for. Rebuilding from the history at this moment gives the same report.
    data_as_of = models.DateTimeField(_("data as of"))
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("body"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=GeneratedReportState.choices,
        default=GeneratedReportState.QUEUED,
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    pdf = models.FileField(
        _("PDF file"), storage=report_storage, upload_to="%Y/%m/", max_length=255, blank=True
    )
    xlsx_sha256 = models.CharField(_("SHA-256 of the workbook"), max_length=64, blank=True)
    xlsx = models.FileField(
        _("Excel workbook"),
        storage=report_storage,
        upload_to="%Y/%m/",
        max_length=255,
        blank=True,
    )

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in GeneratedReportKind]),
                name="generated_report_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in GeneratedReportState]),
                name="generated_report_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=True) ^ Q(as_of_date__isnull=True),
                name="generated_report_period_or_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="standing_committee", body__isnull=True)
                | (~Q(kind="standing_committee") & Q(body__isnull=False)),
                name="generated_report_body_iff_needed",
            ),
            models.CheckConstraint(
                condition=~Q(state="done")
                | (Q(finished_at__isnull=False) & ~Q(sha256="") & ~Q(pdf="")),
                name="generated_report_done_has_file",
            ),
        ]
        indexes = [models.Index(fields=["kind", "body"], name="generated_report_kind_body")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_stuck(self) -> bool:
        """Queued or running past the time limit: the worker died or was stopped, so the
        build will not finish."""
        if self.state not in (GeneratedReportState.QUEUED, GeneratedReportState.RUNNING):
            return False
        since = self.started_at or self.requested_at
        # A queued build waits for a worker, so it gets twice the limit before giving up.
        limit = settings.REPORT_BUILD_TIMEOUT * (
            1 if self.state == GeneratedReportState.RUNNING else 2
        )
        return timezone.now() - since > timedelta(seconds=limit)

    @property
    def shown_state(self) -> str:
        """The state as people see it: a stuck build shows as failed."""
        return GeneratedReportState.FAILED if self.is_stuck else self.state

    def get_shown_state_display(self) -> str:
        return GeneratedReportState(self.shown_state).label

    @property
    def is_pending(self) -> bool:
        return self.shown_state in (GeneratedReportState.QUEUED, GeneratedReportState.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.state == GeneratedReportState.DONE
