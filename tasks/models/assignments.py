from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.collation import collated
from accounts.models import Body
from programme.models import Item


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COORDINATE = "coordinate", _("Coordinate")
    IMPLEMENT_LOCALLY = "implement_locally", _("Implement locally")
    SUPERVISE = "supervise", _("Supervise")
    RECEIVE_REPORTS = "receive_reports", _("Receive reports")
    DELEGATED = "delegated", _("Carry out a delegated part")


class DeadlineKind(models.TextChoices):
    FIXED = "fixed", _("Fixed deadline")
    RECURRING = "recurring", _("Recurring duty")
    NONE = "none", _("No deadline")


class AssignmentQuerySet(models.QuerySet):
    def live(self) -> "AssignmentQuerySet":
        """Not cancelled, not yet completed."""
        return self.filter(cancelled_on__isnull=True, completed_on__isnull=True)

    def reporting(self) -> "AssignmentQuerySet":
        return self.filter(role__in=Assignment.REPORTING_ROLES)


class AssignmentManager(models.Manager.from_queryset(AssignmentQuerySet)):
    def get_by_natural_key(
        self, programme_code: str, item_key: str, body_code: str, role: str
    ) -> "Assignment":
        return self.get(
            item__programme__code=programme_code,
            item__key=item_key,
            body__code=body_code,
            role=role,
        )


class Assignment(models.Model):
    """A body's role on one task, with its deadline; a delegated part has a parent."""

    Role = AssignmentRole
    DeadlineKind = DeadlineKind

    # Roles whose bodies carry out the task and so report on it.
    REPORTING_ROLES = (
        AssignmentRole.LEAD,
        AssignmentRole.COORDINATE,
        AssignmentRole.IMPLEMENT_LOCALLY,
        AssignmentRole.DELEGATED,
    )

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("task")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("body")
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations",
        verbose_name=_("delegated from"),
    )
    basis = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("basis"),
        help_text=_("The clause of the programme that gives this assignment."),
    )
    # The assignment of an ended body that this one carries on after a reorganisation: the
    # original keeps its reports and history, this one starts on the act's effective date.
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        verbose_name=_("moved from"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    deadline_kind = models.CharField(
        _("deadline kind"),
        max_length=10,
        choices=DeadlineKind.choices,
        default=DeadlineKind.RECURRING,
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The deadline as moved by the latest approved extension; the original stays in `deadline`.
    extended_deadline = models.DateField(_("extended deadline"), null=True, blank=True)
    # Set when the Party Office accepts a report saying the work is done: the day it was
    # submitted, which is what on-time is judged by.
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    # The day a part delegated later, or work carried on by a successor, began; empty for the
    # programme's own assignments, in force from its start. Reports are owed from this day on.
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AssignmentManager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["item__sequence", "role", "body__position", collated("body__name")]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "body", "role"], name="assignment_unique_item_body_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in AssignmentRole]),
                name="assignment_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(deadline_kind__in=[k.value for k in DeadlineKind]),
                name="assignment_deadline_kind_valid",
            ),
            models.CheckConstraint(
                condition=(Q(deadline_kind="fixed") & Q(deadline__isnull=False))
                | (~Q(deadline_kind="fixed") & Q(deadline__isnull=True)),
                name="assignment_fixed_deadline_has_date",
            ),
            models.CheckConstraint(
                condition=Q(extended_deadline__isnull=True)
                | Q(extended_deadline__gt=F("deadline")),
                name="assignment_extension_moves_deadline_later",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="assignment_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("id")), name="assignment_not_its_own_predecessor"
            ),
            models.CheckConstraint(
                condition=(Q(role="delegated") & Q(parent__isnull=False))
                | (~Q(role="delegated") & Q(parent__isnull=True)),
                name="assignment_delegated_iff_parent",
            ),
        ]
        permissions = [
            ("draft_report", _("Can draft progress reports on the assignment")),
            ("submit_report", _("Can submit progress reports on the assignment")),
            ("request_extension", _("Can request an extension of the deadline")),
            ("delegate_assignment", _("Can delegate part of the assignment")),
            ("record_finding", _("Can record supervision findings on the assignment")),
            ("review_report", _("Can accept or return progress reports")),
            ("set_deadline", _("Can set and change deadlines")),
            ("manage_period", _("Can open and close reporting periods")),
        ]

    def __str__(self) -> str:
        return f"{self.item.key} — {self.get_role_display()} — {self.body}"

    def natural_key(self) -> tuple[str, str, str, str]:
        return (self.item.programme.code, self.item.key, self.body.code, self.role)

    natural_key.dependencies = ["programme.item", "accounts.body"]

    @property
    def effective_deadline(self):
        return self.extended_deadline or self.deadline

    @property
    def is_reporting(self) -> bool:
        return self.role in self.REPORTING_ROLES
