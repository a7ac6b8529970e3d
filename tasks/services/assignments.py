from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Body

from ..models import Assignment, DeadlineKind, ExtensionRequest
from ..permissions import Action, assignment_policy
from .common import ensure, reminders_refresh, tracked_save
from .grants import assignment_grants_sync


@transaction.atomic
def assignment_set_deadline(
    *, assignment: Assignment, kind: str, deadline: date | None, acting_user, reason: str
) -> Assignment:
    """Set or change an assignment's deadline kind and date. An extension granted earlier is
    dropped when the deadline itself is changed, since it moved the old date."""
    if not assignment_policy.user_has_permission(acting_user, Action.SET_DEADLINE):
        raise PermissionDenied("set_deadline")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deadline is set or changed.")})
    if kind == DeadlineKind.FIXED and deadline is None:
        raise ValidationError({"deadline": _("A fixed deadline needs a date.")})
    if kind != DeadlineKind.FIXED:
        deadline = None
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.completed_on or assignment.cancelled_on:
        raise ValidationError(_("A completed or cancelled assignment keeps its deadline."))
    if ExtensionRequest.objects.filter(
        assignment=assignment, state=ExtensionRequest.State.PENDING
    ).exists():
        raise ValidationError(_("Decide the pending extension request first."))
    assignment.deadline_kind = kind
    assignment.deadline = deadline
    assignment.extended_deadline = None
    tracked_save(assignment, acting_user=acting_user, reason=reason)
    reminders_refresh()
    return assignment


@transaction.atomic
def assignment_delegate(
    *, assignment: Assignment, body: Body, note: str, acting_user
) -> Assignment:
    """Delegate part of an assignment to a subordinate body. The delegated body reports on its
    part; the delegating body sees it. Grants follow in the same transaction."""
    ensure(assignment_policy, acting_user, Action.DELEGATE, assignment)
    # The part starts with the deadline the assignment has now, not as the caller last saw it.
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if body.parent_id != assignment.body_id:
        raise ValidationError(
            {"body": _("Only a body directly under this one can be given a part.")}
        )
    if not body.is_active_on(timezone.localdate()):
        raise ValidationError({"body": _("This body no longer exists.")})
    if Assignment.objects.filter(
        item=assignment.item, body=body, role=Assignment.Role.DELEGATED
    ).exists():
        raise ValidationError({"body": _("This body already has a part of this task.")})
    delegated = Assignment(
        item=assignment.item,
        body=body,
        role=Assignment.Role.DELEGATED,
        parent=assignment,
        basis=assignment.basis,
        note=note,
        deadline_kind=assignment.deadline_kind,
        deadline=assignment.deadline,
        extended_deadline=assignment.extended_deadline,
        starts_on=timezone.localdate(),
    )
    delegated.full_clean(exclude=["item", "body", "parent", "basis"])
    tracked_save(
        delegated,
        acting_user=acting_user,
        reason=_("Delegated by %(body)s") % {"body": assignment.body},
    )
    assignment_grants_sync(items=[assignment.item])
    reminders_refresh()
    return delegated
