from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from review.services import clean_text, step_announce

from ..models import Assignment, Finding, ReportingPeriod
from ..permissions import Action, assignment_policy
from .common import ensure, tracked_save


@transaction.atomic
def finding_record(
    *,
    supervision: Assignment,
    period: ReportingPeriod | None,
    text: str,
    recommendation: str,
    acting_user,
) -> Finding:
    """A supervising body records a finding on a task it supervises."""
    ensure(assignment_policy, acting_user, Action.RECORD_FINDING, supervision)
    if supervision.role != Assignment.Role.SUPERVISE:
        raise ValidationError(_("Findings are recorded on a supervision assignment."))
    finding = Finding(
        supervision=supervision,
        period=period,
        text=clean_text(text),
        recommendation=clean_text(recommendation),
        recorded_by=acting_user,
    )
    finding.full_clean(exclude=["supervision", "period", "recorded_by"])
    tracked_save(finding, acting_user=acting_user, reason=_("Finding recorded"))
    step_announce(finding, "finding_recorded", acting_user)
    return finding
