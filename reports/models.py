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
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Body
from programme.models import Programme
from tasks.models import ReportingPeriod


def report_storage():
    return storages["reports"]


class GeneratedReportKind(models.TextChoices):
    # The Party Office's report to the Standing Committee (the value predates the upward one).
    STANDING_COMMITTEE = (
        "standing_committee",
        _("Party Office's status report to the Standing Committee"),
    )
    UPWARD = "upward", _("Standing Committee's report to the Politburo and the Secretariat")
    OVERSIGHT = "oversight", _("Oversight report")
    BODY = "body", _("Body's report")


class SigningAuthority(models.TextChoices):
    """How a signer signs (Hướng dẫn 36-HD/VPTW): on behalf of the collective body, for its
    head, by order, or in their own right (the chief of an office)."""

    ON_BEHALF = "on_behalf", _("T/M: on behalf of the collective body")
    FOR_HEAD = "for_head", _("K/T: for the head")
    BY_ORDER = "by_order", _("T/L: by order")
    OWN = "own", _("In their own right")


class SignatoryQuerySet(models.QuerySet):
    def in_office_on(self, day) -> "SignatoryQuerySet":
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class SignatoryManager(models.Manager.from_queryset(SignatoryQuerySet)):
    def get_by_natural_key(self, body_code: str, position: str, name: str, valid_from):
        return self.get(body__code=body_code, position=position, name=name, valid_from=valid_from)


class Signatory(models.Model):
    """A person who signs a body's documents, in a position, for the dates they held it.

    Reports take the signer in office on the report's date, never the programme's own signer
    of 2018: who signs is a fact of the day, kept as data an administrator edits."""

    Authority = SigningAuthority

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="signatories", verbose_name=_("body")
    )
    position = models.CharField(
        _("post"),
        max_length=120,
        help_text=_('As printed, in capitals: "BÍ THƯ", "PHÓ BÍ THƯ THƯỜNG TRỰC", …'),
    )
    name = models.CharField(_("name"), max_length=150)
    authority = models.CharField(_("signs"), max_length=12, choices=SigningAuthority.choices)
    # Lower signs first when several are in office (the Secretary before the deputies).
    rank = models.PositiveSmallIntegerField(_("order among signers"), default=1)
    valid_from = models.DateField(_("in office from"))
    valid_to = models.DateField(_("in office until"), null=True, blank=True)
    source = models.TextField(
        _("public source"), blank=True, help_text=_("Where the fact is published.")
    )
    history = HistoricalRecords()

    objects = SignatoryManager()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["body", "rank", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "position", "name", "valid_from"], name="signatory_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="signatory_in_office_ordered",
            ),
            models.CheckConstraint(
                condition=Q(authority__in=[a.value for a in SigningAuthority]),
                name="signatory_authority_valid",
            ),
        ]

    def __str__(self) -> str:
        until = self.valid_to.strftime("%d/%m/%Y") if self.valid_to else "…"
        return f"{self.name}, {self.position} ({self.valid_from:%d/%m/%Y} – {until})"

    def natural_key(self) -> tuple:
        return (self.body.code, self.position, self.name, self.valid_from.isoformat())

    natural_key.dependencies = ["accounts.body"]

    def in_office_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


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
    # Kinds about the whole programme, each sent by one body.
    PROGRAMME_KINDS = (GeneratedReportKind.STANDING_COMMITTEE, GeneratedReportKind.UPWARD)

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
    # Chosen by the person asking; empty: whoever is in office on the report's date signs.
    signatory = models.ForeignKey(
        Signatory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
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
    # The kept PDF carries a PAdES signature (reports/signing.py): off without a certificate.
    signed = models.BooleanField(_("digitally signed"), default=False)
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
                condition=Q(kind__in=["standing_committee", "upward"], body__isnull=True)
                | (~Q(kind__in=["standing_committee", "upward"]) & Q(body__isnull=False)),
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

    @property
    def issued_on(self):
        """The report's date, as its dateline prints it: the day it was asked for."""
        return timezone.localdate(self.requested_at)
