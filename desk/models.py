"""When each person last looked at their desk, so a supervisor's queue can show what was
accepted since.

Glossary: desk: bàn làm việc; visit: lần xem.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeskVisit(models.Model):
    """A person's latest look at the desk and the moment their "new since" list starts from.

    No HistoricalRecords: it is a bookmark rewritten at every visit, not a record of the
    work; a history of it would grow with every page view and tell nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_visit",
        verbose_name=_("user"),
    )
    visited_at = models.DateTimeField(_("last visited at"))
    # The end of the visit before the current one: what was accepted after it is new to them.
    since = models.DateTimeField(_("new since"))

    class Meta:
        verbose_name = _("desk visit")
        verbose_name_plural = _("desk visits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(since__lte=models.F("visited_at")),
                name="desk_visit_since_not_after_visit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.visited_at:%d/%m/%Y %H:%M}"
