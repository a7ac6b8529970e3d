"""Who is given which task.

Glossary:
- assignment: phân công (a body's role on one task)
- lead: chủ trì; coordinate: phối hợp; implement locally: triển khai tại địa phương;
  supervise: giám sát; receive reports: nhận báo cáo
- basis: the clause of part IV that gives the assignment (căn cứ)
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Body
from programme.models import Item


class AssignmentManager(models.Manager):
    def get_by_natural_key(
        self, programme_code: str, item_key: str, body_code: str, role: str
    ) -> "Assignment":
        return self.get(
            item__programme__code=programme_code,
            item__key=item_key,
            body__code=body_code,
            role=role,
        )


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COORDINATE = "coordinate", _("Coordinate")
    IMPLEMENT_LOCALLY = "implement_locally", _("Implement locally")
    SUPERVISE = "supervise", _("Supervise")
    RECEIVE_REPORTS = "receive_reports", _("Receive reports")


class Assignment(models.Model):
    Role = AssignmentRole

    # Roles whose bodies carry out the task and so report on it.
    REPORTING_ROLES = (
        AssignmentRole.LEAD,
        AssignmentRole.COORDINATE,
        AssignmentRole.IMPLEMENT_LOCALLY,
    )

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("task")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("body")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    basis = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("basis"),
        help_text=_("The clause of the programme that gives this assignment."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = AssignmentManager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["item__sequence", "role", "body__position", "body__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "body", "role"], name="assignment_unique_item_body_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in AssignmentRole]),
                name="assignment_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.key} — {self.get_role_display()} — {self.body}"

    def natural_key(self) -> tuple[str, str, str, str]:
        return (self.item.programme.code, self.item.key, self.body.code, self.role)

    natural_key.dependencies = ["programme.item", "accounts.body"]
