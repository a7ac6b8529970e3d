"""Indicators: the yearly figures behind the programme's targets, the industrial zones and
clusters whose occupancy one target counts, and the explanations the Party Office asks for.

Glossary of the Vietnamese terms behind the English names:
- indicator: chỉ tiêu (a target of part II, programme.Target, tracked year by year)
- yearly figure: số liệu năm — an indicator's actual value (giá trị thực hiện) for a year, or
  the area occupied in an industrial zone or cluster that year
- baseline: năm gốc, giá trị năm gốc
- industrial zone: khu công nghiệp; industrial cluster: cụm công nghiệp
- planned area: diện tích quy hoạch; leasable area: diện tích đất công nghiệp cho thuê;
  occupied area: diện tích đã cho thuê; occupancy: tỷ lệ lấp đầy
- explanation request: yêu cầu giải trình
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import BilingualNameMixin, Body
from programme.models import Target
from review.models import Reviewable, ReviewState, review_constraints


class IndustrialAreaKind(models.TextChoices):
    ZONE = "zone", _("Industrial zone")
    CLUSTER = "cluster", _("Industrial cluster")


class IndustrialAreaManager(models.Manager):
    def get_by_natural_key(self, code: str) -> "IndustrialArea":
        return self.get(code=code)


class IndustrialArea(BilingualNameMixin, models.Model):
    """An industrial zone or cluster of the register. Its areas are entered by administrators
    as the planning decisions give them; an empty area is not yet known."""

    Kind = IndustrialAreaKind

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=IndustrialAreaKind.choices)
    locality = models.CharField(_("locality"), max_length=150, blank=True)
    planned_area_ha = models.DecimalField(
        _("planned area (ha)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    leasable_area_ha = models.DecimalField(
        _("leasable industrial land (ha)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    responsible_body = models.ForeignKey(
        Body,
        verbose_name=_("body responsible for the figures"),
        on_delete=models.PROTECT,
        related_name="industrial_areas",
    )
    position = models.PositiveIntegerField(_("display order"), default=0)
    history = HistoricalRecords()

    objects = IndustrialAreaManager()

    class Meta:
        verbose_name = _("industrial zone or cluster")
        verbose_name_plural = _("industrial zones and clusters")
        ordering = ["kind", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in IndustrialAreaKind]),
                name="industrial_area_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(planned_area_ha__isnull=True) | Q(planned_area_ha__gte=0),
                name="industrial_area_planned_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(leasable_area_ha__isnull=True) | Q(leasable_area_ha__gte=0),
                name="industrial_area_leasable_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(planned_area_ha__isnull=True)
                | Q(leasable_area_ha__isnull=True)
                | Q(leasable_area_ha__lte=F("planned_area_ha")),
                name="industrial_area_leasable_within_planned",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    natural_key.dependencies = ["accounts.body"]


FigureState = ReviewState


class YearlyFigure(Reviewable):
    """A figure a responsible body reports for one year: an indicator's actual value, or the
    industrial land occupied in one zone or cluster. It goes the progress report's way: an
    officer drafts, the leader submits, the Party Office accepts (which locks it) or returns it
    with reasons."""

    target = models.ForeignKey(
        Target,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
        verbose_name=_("indicator"),
    )
    industrial_area = models.ForeignKey(
        IndustrialArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
        verbose_name=_("industrial zone or cluster"),
    )
    # The body that reports it, fixed when it is created: a later change of the responsible
    # body does not move a draft out of its authors' hands.
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="yearly_figures", verbose_name=_("body")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    source = models.CharField(
        _("source"),
        max_length=255,
        help_text=_('Where the figure comes from, e.g. "Niên giám thống kê 2024".'),
    )
    note = models.TextField(_("note"), max_length=5000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly figure")
        verbose_name_plural = _("yearly figures")
        ordering = ["year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False, industrial_area__isnull=True)
                | Q(target__isnull=True, industrial_area__isnull=False),
                name="figure_of_an_indicator_or_an_area",
            ),
            models.UniqueConstraint(
                fields=["target", "year"],
                condition=Q(target__isnull=False),
                name="figure_one_per_indicator_and_year",
            ),
            models.UniqueConstraint(
                fields=["industrial_area", "year"],
                condition=Q(industrial_area__isnull=False),
                name="figure_one_per_area_and_year",
            ),
            models.CheckConstraint(
                condition=Q(industrial_area__isnull=True) | Q(value__gte=0),
                name="figure_occupied_area_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="figure_year_plausible"
            ),
            *review_constraints("figure"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.year}"

    @property
    def subject(self):
        return self.target if self.target_id else self.industrial_area


class ExplanationState(models.TextChoices):
    OPEN = "open", _("Awaiting explanation")
    ANSWERED = "answered", _("Explained")
    CLOSED = "closed", _("Closed")


class ExplanationRequest(models.Model):
    """The Party Office asks a responsible body to explain an indicator off its path or an
    overdue task, by a due date; the body's officers or leaders answer; the Party Office
    closes the request. Reminded like any deadline until it is answered or closed."""

    State = ExplanationState

    target = models.ForeignKey(
        Target,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="explanation_requests",
        verbose_name=_("indicator"),
    )
    assignment = models.ForeignKey(
        "tasks.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="explanation_requests",
        verbose_name=_("assignment"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="explanation_requests",
        verbose_name=_("body asked"),
    )
    question = models.TextField(_("what is to be explained"), max_length=5000)
    due_on = models.DateField(_("explanation due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=ExplanationState.choices, default=ExplanationState.OPEN
    )
    answer = models.TextField(_("explanation"), max_length=20000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("explained by"),
    )
    answered_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), max_length=5000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False, assignment__isnull=True)
                | Q(target__isnull=True, assignment__isnull=False),
                name="explanation_of_an_indicator_or_a_task",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ExplanationState]),
                name="explanation_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="answered") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="explanation_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
                name="explanation_closed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="explanation_state_due")]

    def __str__(self) -> str:
        return f"{self.body} — {self.subject}"

    @property
    def subject(self):
        return self.target if self.target_id else self.assignment

    @property
    def is_open(self) -> bool:
        return self.state != ExplanationState.CLOSED
