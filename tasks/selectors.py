"""Reads of assignments: who is given which task, grouped the way the pages show them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Body
from programme.models import Item, Programme

from .models import Assignment
from .status import Status, rolled_up, status_expression


@dataclass(frozen=True)
class RoleGroup:
    """The assignments of one role (Lead, Coordinate, ...) on a task or of a body."""

    role: str
    assignments: list[Assignment]

    @property
    def label(self) -> str:
        return Assignment.Role(self.role).label


def group_by_role(assignments: Iterable[Assignment]) -> list[RoleGroup]:
    """Group assignments by role, in the order the roles are declared (Lead first), keeping the
    order of the assignments within a role; roles without assignments are left out."""
    by_role: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_role[assignment.role].append(assignment)
    return [RoleGroup(role, by_role[role]) for role in Assignment.Role.values if by_role[role]]


def current_assignments() -> QuerySet[Assignment]:
    """Assignments not cancelled: a cancelled one stays on record (and in its history) but no
    longer says who does the work."""
    return Assignment.objects.filter(cancelled_on__isnull=True)


def assignments_by_item(*, programme: Programme) -> dict[int, list[RoleGroup]]:
    """The current assignments of the programme's items, with their bodies, in one query."""
    by_item: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in (
        current_assignments().filter(item__programme=programme).select_related("body")
    ):
        by_item[assignment.item_id].append(assignment)
    return {item_id: group_by_role(assignments) for item_id, assignments in by_item.items()}


def assignment_list_for_item(*, item: Item) -> list[Assignment]:
    """The task's current assignments with their bodies and the clauses they rest on, in one
    query."""
    return list(current_assignments().filter(item=item).select_related("body", "basis"))


def assignment_list_for_body(*, body: Body) -> list[Assignment]:
    """What the body is currently given, task by task in document order, in one query."""
    return list(
        current_assignments()
        .filter(body=body)
        .select_related("item__programme")
        .order_by(
            "-item__programme__resolution_date",
            "item__programme__code",
            "item__sequence",
        )
    )


def task_status(*, item: Item, today) -> Status | None:
    """A task's status, rolled up from its reporting assignments (delegated parts included),
    in one query."""
    statuses = (
        current_assignments()
        .filter(item=item, role__in=Assignment.REPORTING_ROLES)
        .annotate(status=status_expression(today=today))
        .values_list("status", flat=True)
    )
    return rolled_up([Status(s) for s in statuses])
