"""Reads of assignments: who is given which task, grouped the way the pages show them; and
the pages that show the document or a body together with its tracking (the programme as
printed with each task's bodies, a task's page, the bodies with their tasks)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Case, Count, F, Prefetch, Q, QuerySet, When

from accounts.models import Body
from accounts.selectors import body_queryset
from programme.models import Item, Programme, Recipient, Region, RegionLocality, Target

from .models import Assignment
from .permissions import Action, assignment_policy
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


def task_group_expression(prefix: str = "") -> Case:
    """The numbered heading (III.1 … III.10) a task sits under: a bullet's parent, a
    sub-item's grandparent. `prefix` reaches the assignment through a relation
    ("assignment__")."""
    return Case(
        When(
            **{f"{prefix}item__parent__kind": Item.Kind.GROUP}, then=F(f"{prefix}item__parent_id")
        ),
        When(
            **{f"{prefix}item__parent__parent__kind": Item.Kind.GROUP},
            then=F(f"{prefix}item__parent__parent_id"),
        ),
        default=None,
        output_field=BigIntegerField(),
    )


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


# The item page shows the latest changes only; the admin keeps the full record.
HISTORY_LIMIT = 10


@dataclass
class DocumentNode:
    """An item of the document with what is shown beneath it."""

    item: Item
    children: list["DocumentNode"] = field(default_factory=list)
    assignment_groups: list[RoleGroup] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    @property
    def assignment_count(self) -> int:
        return sum(len(group.assignments) for group in self.assignment_groups)

    @property
    def headings(self) -> list["DocumentNode"]:
        """The numbered headings under a part, for the table of contents."""
        return [child for child in self.children if child.item.kind == Item.Kind.GROUP]


@dataclass
class ProgrammeDocument:
    programme: Programme
    parts: list[DocumentNode]
    recipients: list[Recipient]


def programme_document(*, programme: Programme) -> ProgrammeDocument:
    """The whole programme as printed, with each task's assignments and each item's targets,
    in four queries: items, assignments, targets, recipients."""
    items = list(programme.items.order_by("sequence"))
    nodes = {item.pk: DocumentNode(item=item) for item in items}
    parts = []
    # A parent always precedes its children in document order.
    for item in items:
        if item.parent_id is None:
            parts.append(nodes[item.pk])
        else:
            nodes[item.parent_id].children.append(nodes[item.pk])
    for item_id, groups in assignments_by_item(programme=programme).items():
        nodes[item_id].assignment_groups = groups
    for target in programme.targets.order_by("item__sequence", "position"):
        nodes[target.item_id].targets.append(target)
    return ProgrammeDocument(
        programme=programme,
        parts=parts,
        recipients=list(programme.recipients.order_by("position")),
    )


@dataclass
class ItemPage:
    item: Item
    ancestors: list[Item]
    children: list[Item]
    assignment_groups: list[RoleGroup]
    targets: list[Target]
    regions: list[Region]
    history: list


def item_page(*, item: Item) -> ItemPage:
    """What the item page shows besides the item: its place in the document, its sub-items,
    assignments, targets, regions and latest changes."""
    ancestors = []
    parent = item.parent
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    localities = RegionLocality.objects.select_related("body").order_by(
        "body__position", "body__name"
    )
    return ItemPage(
        item=item,
        ancestors=ancestors,
        children=list(item.children.order_by("sequence")),
        assignment_groups=group_by_role(assignment_list_for_item(item=item)),
        targets=list(item.targets.order_by("position")),
        regions=list(item.regions.prefetch_related(Prefetch("localities", queryset=localities))),
        history=list(
            item.history.select_related("history_user").order_by("-history_date", "-history_id")[
                :HISTORY_LIMIT
            ]
        ),
    )


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


def assignments_selected(*, user, ids: list[int]) -> dict[int, Assignment]:
    """The selected assignments the user may see, by id, in the order selected, with what a
    bulk step's page shows of each; one query however many. An id the user may not see is
    left out, as one that does not exist."""
    found = (
        assignment_policy.instances_user_has_permission_for(user, Action.VIEW)
        .filter(pk__in=ids)
        .select_related("item__programme", "body")
        .in_bulk()
    )
    return {pk: found[pk] for pk in ids if pk in found}
