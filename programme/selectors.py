"""Reads for the programme pages.

Each page is built in a fixed number of queries however long the programme is: rows are fetched
as flat lists, one query per table, and the document tree is assembled in Python.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from tasks.selectors import RoleGroup, assignment_list_for_item, assignments_by_item, group_by_role

from .models import Item, Programme, Recipient, Region, RegionLocality, Target

# The item page shows the latest changes only; the admin keeps the full record.
HISTORY_LIMIT = 10


def programme_list() -> QuerySet[Programme]:
    """Programmes with the number of task groups and tasks of each, in one query."""
    in_tasks_part = Q(items__section=Item.Section.TASKS)
    return Programme.objects.annotate(
        group_count=Count("items", filter=in_tasks_part & Q(items__kind=Item.Kind.GROUP)),
        task_count=Count("items", filter=in_tasks_part & Q(items__kind__in=Item.TASK_KINDS)),
    )


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


def item_queryset() -> QuerySet[Item]:
    # Items nest at most four deep (part, heading, bullet, sub-item), so the breadcrumb needs
    # no further query.
    return Item.objects.select_related("programme", "parent__parent__parent")


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


def item_search(*, query: str) -> list[Item]:
    """Items holding every word of the query, whatever the diacritics or tone placement, in
    document order, with their programme; one query."""
    return list(
        Item.objects.search(query)
        .select_related("programme")
        .order_by("-programme__resolution_date", "programme__code", "sequence")
    )
