"""Reads for the programme pages.

Each page is built in a fixed number of queries however long the programme is: rows are fetched
as flat lists, one query per table, and the document tree is assembled in Python.
"""

from django.db.models import Count, Q, QuerySet

from .models import Item, Programme


def programme_list() -> QuerySet[Programme]:
    """Programmes with the number of task groups and tasks of each, in one query."""
    in_tasks_part = Q(items__section=Item.Section.TASKS)
    return Programme.objects.annotate(
        group_count=Count("items", filter=in_tasks_part & Q(items__kind=Item.Kind.GROUP)),
        task_count=Count("items", filter=in_tasks_part & Q(items__kind__in=Item.TASK_KINDS)),
    )


def item_queryset() -> QuerySet[Item]:
    # Items nest at most four deep (part, heading, bullet, sub-item), so the breadcrumb needs
    # no further query.
    return Item.objects.select_related("programme", "parent__parent__parent")
