from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.services import step_announce

from ..models import Assignment, DeadlineKind, ExtensionRequest
from ..permissions import Action, assignment_policy
from .common import ensure, reminders_refresh, tracked_save


@transaction.atomic
def extension_request(
    *, assignment: Assignment, proposed_deadline: date, reason: str, acting_user
) -> ExtensionRequest:
    """A leader asks to move the assignment's deadline, saying why."""
    ensure(assignment_policy, acting_user, Action.REQUEST_EXTENSION, assignment)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.deadline_kind != DeadlineKind.FIXED:
        raise ValidationError(_("Only an assignment with a fixed deadline can be extended."))
    if assignment.completed_on or assignment.cancelled_on:
        raise ValidationError(_("This assignment is closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    current = assignment.effective_deadline
    if proposed_deadline <= current:
        raise ValidationError(
            {
                "proposed_deadline": _("The new deadline must be after %(date)s.")
                % {"date": current.strftime("%d/%m/%Y")}
            }
        )
    if assignment.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ValidationError(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest(
        assignment=assignment,
        reason=reason.strip(),
        current_deadline=current,
        proposed_deadline=proposed_deadline,
        requested_by=acting_user,
    )
    tracked_save(request, acting_user=acting_user, reason=_("Extension requested"))
    step_announce(request, "extension_requested", acting_user)
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, approve: bool, note: str, acting_user
) -> ExtensionRequest:
    """The Party Office approves (the deadline moves; the original is kept) or refuses."""
    if not assignment_policy.user_has_permission(acting_user, Action.SET_DEADLINE):
        raise PermissionDenied("decide extension")
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ExtensionRequest.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the extension is refused.")})
    request.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    reason = _("Extension approved") if approve else _("Extension refused")
    tracked_save(request, acting_user=acting_user, reason=reason)
    if approve:
        assignment = Assignment.objects.select_for_update().get(pk=request.assignment_id)
        assignment.extended_deadline = request.proposed_deadline
        tracked_save(assignment, acting_user=acting_user, reason=reason)
        reminders_refresh()
    step_announce(request, "extension_decided", acting_user)
    return request
