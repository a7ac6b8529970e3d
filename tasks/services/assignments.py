from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Body

from ..models import Assignment, DeadlineKind, ExtensionRequest
from ..permissions import Action, assignment_policy
from .common import RowsRefused, ensure, reminders_refresh, tracked_save
from .grants import assignment_grants_sync

# What a deadline was when the reviewer looked: (kind, deadline, extended deadline). A bulk
# step is confirmed against these, so a deadline changed in between is not overwritten unseen.
SeenDeadline = tuple[str, date | None, date | None]


def deadline_seen(assignment: Assignment) -> SeenDeadline:
    return (assignment.deadline_kind, assignment.deadline, assignment.extended_deadline)


def _deadline_refusal(
    assignment: Assignment, *, acting_user, pending: bool, seen: SeenDeadline | None
) -> str | None:
    """Why this assignment's deadline may not be set now, or None."""
    if not assignment_policy.user_has_permission_for_instance(
        acting_user, Action.SET_DEADLINE, assignment
    ):
        return _("You may not set this assignment's deadline.")
    if assignment.completed_on or assignment.cancelled_on:
        return _("A completed or cancelled assignment keeps its deadline.")
    if pending:
        return _("Decide the pending extension request first.")
    if seen is not None and deadline_seen(assignment) != seen:
        return _("Its deadline was changed by someone else since the page was opened.")
    return None


def deadline_refusals(
    *,
    assignment_ids: list[int],
    rows: dict[int, Assignment],
    acting_user,
    seen: dict[int, SeenDeadline] | None = None,
) -> dict[int, str]:
    """Which of the assignments may not have their deadline set now, and why, in one query
    however many: what the confirmation page shows before the step, and what the step checks
    again on the locked rows."""
    pending = set(
        ExtensionRequest.objects.filter(
            assignment_id__in=assignment_ids, state=ExtensionRequest.State.PENDING
        ).values_list("assignment_id", flat=True)
    )
    refusals = {}
    for pk in assignment_ids:
        row = rows.get(pk)
        if row is None:
            refusals[pk] = _("This assignment does not exist.")
            continue
        why = _deadline_refusal(
            row,
            acting_user=acting_user,
            pending=pk in pending,
            seen=None if seen is None else seen.get(pk),
        )
        if why:
            refusals[pk] = why
    return refusals


def _deadlines_set(
    *,
    assignment_ids: list[int],
    kind: str,
    deadline: date | None,
    acting_user,
    reason: str,
    seen: dict[int, SeenDeadline] | None = None,
) -> tuple[list[Assignment], dict[int, str]]:
    """The one code path of setting deadlines, for one assignment or many: check the input,
    lock the rows and read what the rules need in a fixed number of queries, and change them
    only if every one may be changed. Returns the changed rows, or the refusals (and changes
    nothing). Each changed row is saved on its own, so each has its own history record."""
    if not assignment_policy.user_has_permission(acting_user, Action.SET_DEADLINE):
        raise PermissionDenied("set_deadline")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deadline is set or changed.")})
    if kind == DeadlineKind.FIXED and deadline is None:
        raise ValidationError({"deadline": _("A fixed deadline needs a date.")})
    if kind != DeadlineKind.FIXED:
        deadline = None
    rows = Assignment.objects.select_for_update().filter(pk__in=assignment_ids).order_by("pk")
    locked = {row.pk: row for row in rows}
    refusals = deadline_refusals(
        assignment_ids=assignment_ids, rows=locked, acting_user=acting_user, seen=seen
    )
    if refusals:
        return [], refusals
    changed = []
    for pk in assignment_ids:
        row = locked[pk]
        row.deadline_kind = kind
        row.deadline = deadline
        row.extended_deadline = None
        tracked_save(row, acting_user=acting_user, reason=reason)
        changed.append(row)
    reminders_refresh()
    return changed, {}


@transaction.atomic
def assignment_set_deadline(
    *, assignment: Assignment, kind: str, deadline: date | None, acting_user, reason: str
) -> Assignment:
    """Set or change an assignment's deadline kind and date. An extension granted earlier is
    dropped when the deadline itself is changed, since it moved the old date."""
    changed, refusals = _deadlines_set(
        assignment_ids=[assignment.pk],
        kind=kind,
        deadline=deadline,
        acting_user=acting_user,
        reason=reason,
    )
    if refusals:
        raise ValidationError(refusals[assignment.pk])
    return changed[0]


@transaction.atomic
def assignments_set_deadline(
    *,
    assignments: list[Assignment],
    kind: str,
    deadline: date | None,
    acting_user,
    reason: str,
    seen: dict[int, SeenDeadline] | None = None,
) -> list[Assignment]:
    """Set one deadline, with one reason, on several assignments at once, by the same rules
    as on one: all or nothing. If any may not be changed (permission, a closed assignment, a
    pending extension, or, given `seen`, a deadline changed since the reviewer looked),
    RowsRefused says which and why, and nothing is changed. Each assignment gets its own
    history record with the reason and the acting user."""
    changed, refusals = _deadlines_set(
        assignment_ids=list(dict.fromkeys(a.pk for a in assignments)),
        kind=kind,
        deadline=deadline,
        acting_user=acting_user,
        reason=reason,
        seen=seen,
    )
    if refusals:
        raise RowsRefused(refusals)
    return changed


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
