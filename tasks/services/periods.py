from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Assignment, ReportingPeriod
from ..permissions import Action, assignment_policy
from .common import RowsRefused, reminders_refresh, tracked_save


def _require_manager(acting_user) -> None:
    if not assignment_policy.user_has_permission(acting_user, Action.MANAGE_PERIOD):
        raise PermissionDenied("manage_period")


def period_change_refusal(period: ReportingPeriod, *, open_: bool) -> str | None:
    """Why the period may not be opened (or closed) now, or None."""
    if open_ and period.state != ReportingPeriod.State.PLANNED:
        return _("Only a planned period can be opened.")
    if not open_ and period.state != ReportingPeriod.State.OPEN:
        return _("Only an open period can be closed.")
    return None


def period_assignment_refusals(
    period: ReportingPeriod, *, assignment_ids: list[int], programmes: dict[int, int]
) -> dict[int, str]:
    """Which selected assignments a period's change may not be made from: those of another
    programme (`programmes` maps each assignment that exists to its programme)."""
    refusals = {}
    for pk in assignment_ids:
        if pk not in programmes:
            refusals[pk] = _("This assignment does not exist.")
        elif programmes[pk] != period.programme_id:
            refusals[pk] = _("This assignment belongs to another programme.")
    return refusals


@transaction.atomic
def period_open(*, period: ReportingPeriod, acting_user) -> ReportingPeriod:
    """Open a planned period: from now each body with a live assignment owes a report."""
    _require_manager(acting_user)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if why := period_change_refusal(period, open_=True):
        raise ValidationError(why)
    period.state = ReportingPeriod.State.OPEN
    tracked_save(period, acting_user=acting_user, reason=_("Period opened"))
    reminders_refresh()
    return period


@transaction.atomic
def period_close(*, period: ReportingPeriod, acting_user) -> ReportingPeriod:
    """Close an open period: it accepts no new or changed reports."""
    _require_manager(acting_user)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if why := period_change_refusal(period, open_=False):
        raise ValidationError(why)
    period.state = ReportingPeriod.State.CLOSED
    tracked_save(period, acting_user=acting_user, reason=_("Period closed"))
    return period


@transaction.atomic
def period_set_state_for_assignments(
    *, period: ReportingPeriod, open_: bool, assignments: list[Assignment], acting_user
) -> ReportingPeriod:
    """Open or close a period from a selection of assignments. A period belongs to a
    programme, and its state is the same for every body reporting in it: there is no period
    open for one body and closed for another. So the selection says which programme's period
    is meant, and every selected assignment must be of that programme; if one is not,
    RowsRefused names it and nothing changes. The period then opens or closes through
    period_open or period_close, for all the bodies that report in it."""
    _require_manager(acting_user)
    ids = list(dict.fromkeys(a.pk for a in assignments))
    programmes = dict(Assignment.objects.filter(pk__in=ids).values_list("pk", "item__programme_id"))
    refusals = period_assignment_refusals(period, assignment_ids=ids, programmes=programmes)
    if refusals:
        raise RowsRefused(refusals)
    if open_:
        return period_open(period=period, acting_user=acting_user)
    return period_close(period=period, acting_user=acting_user)
