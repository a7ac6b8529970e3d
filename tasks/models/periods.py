from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programme.models import Programme


class PeriodKind(models.TextChoices):
    SEMIANNUAL = "semiannual", _("Six-month review")
    ANNUAL = "annual", _("Annual review")
    MIDTERM = "midterm", _("Mid-term review")
    FINAL = "final", _("Final review")


class PeriodState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReportingPeriodManager(models.Manager):
    def get_by_natural_key(self, programme_code: str, code: str) -> "ReportingPeriod":
        return self.get(programme__code=programme_code, code=code)


class ReportingPeriod(models.Model):
    """A reporting period: the dates it covers and the day bodies' reports are due."""

    Kind = PeriodKind
    State = PeriodState

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="periods", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=PeriodKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("reports due on"))
    state = models.CharField(
        _("state"), max_length=8, choices=PeriodState.choices, default=PeriodState.PLANNED
    )
    history = HistoricalRecords()

    objects = ReportingPeriodManager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["programme", "due_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="period_unique_code"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("starts_on")), name="period_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in PeriodKind]), name="period_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in PeriodState]), name="period_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The stored name is Vietnamese ("Sơ kết 6 tháng đầu năm 2026"); the English pages
        name the period from its kind and dates, as the Vietnamese names are made."""
        if not (get_language() or "vi").startswith("en"):
            return self.name
        start, end = self.starts_on, self.ends_on
        if self.kind == PeriodKind.SEMIANNUAL and start.year == end.year:
            half = "first" if end.month <= 6 else "second"
            return f"Six-month review, {half} half of {start.year}"
        if self.kind == PeriodKind.ANNUAL and start.year == end.year:
            return f"Annual review {start.year}"
        if self.kind == PeriodKind.MIDTERM:
            return f"Mid-term review of the action programme ({start.year} - {end.year})"
        if self.kind == PeriodKind.FINAL:
            return f"Final review of the action programme ({start.year} - {end.year})"
        return f"{self.get_kind_display()}, {start:%d/%m/%Y} - {end:%d/%m/%Y}"

    def natural_key(self) -> tuple[str, str]:
        return (self.programme.code, self.code)

    natural_key.dependencies = ["programme.programme"]

    @property
    def is_open(self) -> bool:
        return self.state == PeriodState.OPEN
