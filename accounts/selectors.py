"""Reads of bodies and memberships, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tasks.selectors import RoleGroup, assignment_list_for_body, group_by_role

from .models import Body


@dataclass(frozen=True)
class KindGroup:
    """The bodies of one kind (departments, district-level committees, ...)."""

    kind: str
    bodies: list[Body]

    @property
    def label(self) -> str:
        return Body.Kind(self.kind).label


@dataclass(frozen=True)
class BodyPage:
    body: Body
    children: list[Body]
    predecessors: list[Body]
    assignment_groups: list[RoleGroup]

    @property
    def task_count(self) -> int:
        return len({a.item_id for group in self.assignment_groups for a in group.assignments})


def body_queryset() -> QuerySet[Body]:
    return Body.objects.select_related("parent", "successor")


def body_list_by_kind() -> list[KindGroup]:
    """All bodies with the number of distinct tasks each is given, grouped by kind in the order
    the kinds are declared; one query."""
    bodies = body_queryset().annotate(
        task_count=Count(
            "assignments__item",
            filter=Q(assignments__cancelled_on__isnull=True),
            distinct=True,
        ),
    )
    by_kind: dict[str, list[Body]] = {kind: [] for kind in Body.Kind.values}
    for body in bodies:
        by_kind.setdefault(body.kind, []).append(body)
    return [KindGroup(kind, members) for kind, members in by_kind.items() if members]


def body_page(*, body: Body) -> BodyPage:
    """What the body page shows besides the body itself, in two queries."""
    related = list(Body.objects.filter(Q(parent=body) | Q(successor=body)))
    return BodyPage(
        body=body,
        children=[b for b in related if b.parent_id == body.pk],
        predecessors=[b for b in related if b.successor_id == body.pk],
        assignment_groups=group_by_role(assignment_list_for_body(body=body)),
    )
