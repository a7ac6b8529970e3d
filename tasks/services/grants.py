"""Object permissions on assignments, granted to one group per body and role.

Who holds what on an assignment A of body B for task X:
- B's officers: view, draft reports;
- B's leaders: view, draft and submit reports, request extensions, delegate;
- if A was delegated from P (body C): C's officers and leaders may view A;
- the supervisors of every body that supervises X: view A; on their own supervision
  assignment they may also record findings.

The grants are computed from the assignments, so they can be rebuilt at any time;
`assignment_grants_sync` brings the tables to exactly that state.
"""

from collections import defaultdict

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.access import access_bump
from accounts.models import Role
from accounts.permissions import body_role_group_name

from ..models import Assignment, AssignmentGroupObjectPermission
from ..permissions import CODENAMES, Action

OFFICER_ACTIONS = (Action.VIEW, Action.DRAFT)
LEADER_ACTIONS = (
    Action.VIEW,
    Action.DRAFT,
    Action.SUBMIT,
    Action.REQUEST_EXTENSION,
    Action.DELEGATE,
)
SUPERVISOR_OWN_ACTIONS = (Action.VIEW, Action.RECORD_FINDING)

Grant = tuple[str, str, str, int]  # (body code, role code, codename, assignment id)


def _desired(assignments) -> set[Grant]:
    grants: set[Grant] = set()
    supervisors_of_item: dict[int, set[str]] = defaultdict(set)
    reporting_by_item: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        if a.role == Assignment.Role.SUPERVISE:
            supervisors_of_item[a.item_id].add(a.body.code)
            for action in SUPERVISOR_OWN_ACTIONS:
                grants.add((a.body.code, Role.SUPERVISOR, CODENAMES[action], a.pk))
        elif a.is_reporting:
            reporting_by_item[a.item_id].append(a)
            for action in OFFICER_ACTIONS:
                grants.add((a.body.code, Role.OFFICER, CODENAMES[action], a.pk))
            for action in LEADER_ACTIONS:
                grants.add((a.body.code, Role.LEADER, CODENAMES[action], a.pk))
            if a.parent_id is not None:
                for role in (Role.OFFICER, Role.LEADER):
                    grants.add((a.parent.body.code, role, CODENAMES[Action.VIEW], a.pk))
    for item_id, reporting in reporting_by_item.items():
        for body_code in supervisors_of_item.get(item_id, ()):
            for a in reporting:
                grants.add((body_code, Role.SUPERVISOR, CODENAMES[Action.VIEW], a.pk))
    return grants


@transaction.atomic
def assignment_grants_sync(*, items=None) -> tuple[int, int]:
    """Make the assignment grants exactly what the assignments imply, for the given tasks
    (all when None). Returns (added, removed). Grant rows are not tracked data: the
    assignments they derive from carry the history."""
    assignments = Assignment.objects.filter(cancelled_on__isnull=True).select_related(
        "body", "parent__body"
    )
    existing = AssignmentGroupObjectPermission.objects.filter(
        group__name__startswith="body:"
    ).select_related("group", "permission")
    if items is not None:
        assignments = assignments.filter(item__in=items)
        existing = existing.filter(content_object__item__in=items)
    desired = _desired(assignments)

    current: dict[Grant, int] = {}
    group_of: dict[int, int] = {}
    for row in existing:
        group_of[row.pk] = row.group_id
        _prefix, body_code, role_code = row.group.name.split(":", 2)
        current[(body_code, role_code, row.permission.codename, row.content_object_id)] = row.pk

    stale = [pk for grant, pk in current.items() if grant not in desired]
    AssignmentGroupObjectPermission.objects.filter(pk__in=stale).delete()
    # Bulk writes send no signal: the members of every group whose grants changed get a new
    # access version here, in the same transaction.
    changed_groups = {group_of[pk] for pk in stale}

    missing = desired - set(current)
    if missing:
        names = {body_role_group_name(b, r) for b, r, _c, _a in missing}
        groups = {g.name: g for g in Group.objects.filter(name__in=names)}
        Group.objects.bulk_create(
            [Group(name=n) for n in names - set(groups)], ignore_conflicts=True
        )
        groups = {g.name: g for g in Group.objects.filter(name__in=names)}
        permissions = {
            p.codename: p
            for p in Permission.objects.filter(
                content_type__app_label="tasks", codename__in=CODENAMES.values()
            )
        }
        AssignmentGroupObjectPermission.objects.bulk_create(
            [
                AssignmentGroupObjectPermission(
                    group=groups[body_role_group_name(b, r)],
                    permission=permissions[c],
                    content_object_id=a,
                )
                for b, r, c, a in missing
            ],
            batch_size=1000,
        )
        changed_groups |= {groups[body_role_group_name(b, r)].pk for b, r, _c, _a in missing}
    access_bump(group_ids=changed_groups)
    return len(missing), len(stale)
