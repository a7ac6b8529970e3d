from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ReportingPeriod
from ..permissions import Action, assignment_policy
from .common import reminders_refresh, tracked_save


def _require_manager(acting_user) -> None:
    if not assignment_policy.user_has_permission(acting_user, Action.MANAGE_PERIOD):
        raise PermissionDenied("manage_period")


@transaction.atomic
def period_open(*, period: ReportingPeriod, acting_user) -> ReportingPeriod:
    """Open a planned period: from now each body with a live assignment owes a report."""
    _require_manager(acting_user)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state != ReportingPeriod.State.PLANNED:
        raise ValidationError(_("Only a planned period can be opened."))
    period.state = ReportingPeriod.State.OPEN
    tracked_save(period, acting_user=acting_user, reason=_("Period opened"))
    reminders_refresh()
    return period


@transaction.atomic
def period_close(*, period: ReportingPeriod, acting_user) -> ReportingPeriod:
    """Close an open period: it accepts no new or changed reports."""
    _require_manager(acting_user)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state != ReportingPeriod.State.OPEN:
        raise ValidationError(_("Only an open period can be closed."))
    period.state = ReportingPeriod.State.CLOSED
    tracked_save(period, acting_user=acting_user, reason=_("Period closed"))
    return period
