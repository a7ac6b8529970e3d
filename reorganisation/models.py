"""A reorganisation as one recorded act: its legal basis, the date it takes effect, and for
each body it ends, the bodies that succeed it.

Glossary:
- reorganisation: sắp xếp, tổ chức lại (bộ máy, đơn vị hành chính)
- legal basis: căn cứ (the act's number, date and issuer: Nghị quyết 202/2025/QH15, ...)
- effective date: ngày có hiệu lực
- ended body: cơ quan kết thúc hoạt động; successor: cơ quan kế thừa
- moved assignment: nhiệm vụ được chuyển giao
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Body
from tasks.models import Assignment


class Reorganisation(models.Model):
    """An applied act. Applying it ends bodies, starts others and moves their open work, all
    in one transaction; every change it makes names it as the reason."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=255)
    basis_number = models.CharField(_("number of the legal basis"), max_length=100)
    basis_date = models.DateField(_("date of the legal basis"))
    basis_issuer = models.CharField(_("issuer of the legal basis"), max_length=255)
    effective_on = models.DateField(_("takes effect on"))
    # The plan as it was applied, with the source of each line and what was not found.
    plan = models.JSONField(_("plan"), default=dict)
    applied_at = models.DateTimeField(_("applied at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("applied by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.basis_number})"

    @property
    def reason(self) -> str:
        """The history reason of every change the act makes (kept under the 100 characters
        a history reason holds)."""
        return f"{self.basis_number} · {self.code}"[:100]


class Succession(models.Model):
    """One line of the act: an ended body and one of its successors. One body may pass to
    several (a split), several to one (a merger)."""

    reorganisation = models.ForeignKey(
        Reorganisation,
        on_delete=models.CASCADE,
        related_name="successions",
        verbose_name=_("reorganisation"),
    )
    ended_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("ended body")
    )
    successor = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("successor")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["reorganisation", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "ended_body", "successor"],
                name="succession_unique_line",
            ),
            models.CheckConstraint(
                condition=~Q(ended_body=F("successor")), name="succession_not_its_own"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ended_body} → {self.successor}"


class AssignmentMove(models.Model):
    """An open assignment of an ended body and the assignment that carries it on. Several
    originals may pass into one (a merger onto a task the successor already had)."""

    reorganisation = models.ForeignKey(
        Reorganisation,
        on_delete=models.CASCADE,
        related_name="moves",
        verbose_name=_("reorganisation"),
    )
    original = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="+", verbose_name=_("original")
    )
    successor = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="+", verbose_name=_("carried on by")
    )
    # Reports the ended body drafted on the original and never sent; they stay with it.
    drafts_left = models.PositiveIntegerField(_("unsent drafts left with the original"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("moved assignment")
        verbose_name_plural = _("moved assignments")
        ordering = ["reorganisation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "original", "successor"], name="assignment_move_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.original_id} → #{self.successor_id}"
