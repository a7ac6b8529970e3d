"""The review workflow's data, shared by everything a body sends the Party Office for review:
progress reports and yearly figures. A draft is written by the body's officers, submitted by its
leader, accepted (which locks it) or returned with a reason, revised and submitted again.

Each sending model inherits `Reviewable` and adds `review_constraints(prefix)` to its Meta, so
the rules that must hold are the same database constraints for every kind.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class Reviewable(models.Model):
    """The review fields: state, the version that guards against lost updates, and who drafted,
    submitted and reviewed, when. `first_submitted_at` is kept through returns: timeliness is
    judged from the first submission (rows written in bulk may lack it; readers fall back on
    `submitted_at`)."""

    State = ReviewState
    # States in which the body may still change the text.
    EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.RETURNED)

    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    # Raised on every save of the text; a save from a stale form is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A row written as sent without its first submission (an import, a fixture) was first
        # sent when it was last sent, as far as anyone can tell.
        if self.state != ReviewState.DRAFT and self.first_submitted_at is None:
            self.first_submitted_at = self.submitted_at
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES


def review_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The rules of the workflow as constraints, named `<prefix>_…`."""
    return [
        models.CheckConstraint(
            condition=Q(state__in=[s.value for s in ReviewState]), name=f"{prefix}_state_valid"
        ),
        models.CheckConstraint(
            condition=Q(state="draft") | Q(submitted_at__isnull=False),
            name=f"{prefix}_sent_has_submission_time",
        ),
        models.CheckConstraint(
            condition=Q(first_submitted_at__isnull=True)
            | Q(first_submitted_at__lte=models.F("submitted_at")),
            name=f"{prefix}_first_submission_not_after_last",
        ),
        models.CheckConstraint(
            condition=~Q(state="accepted") | Q(reviewed_at__isnull=False),
            name=f"{prefix}_accepted_has_review_time",
        ),
        models.CheckConstraint(
            condition=~Q(state="returned") | ~Q(return_reason=""),
            name=f"{prefix}_returned_has_reason",
        ),
    ]
