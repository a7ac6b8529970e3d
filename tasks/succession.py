"""Bodies and work across a reorganisation, read by date: which bodies existed on a day, what
succeeded what, and which assignments counted as work on a day.

It sits in tasks, below every page and report that reads it (the reports, the reorganisation
app): the succession is read from the bodies' validity and successor, and from the links
between an ended body's assignments and the ones carrying them on (Assignment.predecessor).
A body whose successors took no open work is seen through its first successor only; the
reorganisation's own page lists every line of the act.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Body

from .models import Assignment
from .timeline import assignment_timeline


def bodies_as_of(day: date) -> QuerySet[Body]:
    """The bodies that existed on the day (a report as of 2024 shows Thành ủy Nha Trang, one
    as of 2026 its successors)."""
    return Body.objects.active_on(day)


def assignments_in_force_on(day: date) -> QuerySet[Assignment]:
    """The assignments that counted on the day: not yet cancelled or closed by a move, and, for
    one carrying on an ended body's work, from the day the act took effect (the day its
    predecessor was closed)."""
    return Assignment.objects.filter(
        Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=day),
        Q(predecessor__isnull=True) | Q(predecessor__cancelled_on__lte=day),
    )


@dataclass
class Succession:
    """One body's place in time: who it succeeded and who succeeded it."""

    body: Body
    predecessors: list[Body] = field(default_factory=list)
    successors: list[Body] = field(default_factory=list)


def succession_of(body: Body) -> Succession:
    """The body's predecessors and successors, in one query: those named by the bodies'
    successor field, and those whose assignments were carried on to or from this body's."""
    carried_to = Assignment.objects.filter(body=OuterRef("pk"), predecessor__body=body)
    carried_from = Assignment.objects.filter(body=body, predecessor__body=OuterRef("pk"))
    related = (
        Body.objects.annotate(takes_over=Exists(carried_to), handed_over=Exists(carried_from))
        .filter(
            Q(takes_over=True)
            | Q(handed_over=True)
            | Q(successor=body)
            | Q(pk=body.successor_id or 0)
        )
        .exclude(pk=body.pk)
        .order_by("position", "name")
    )
    result = Succession(body=body)
    for other in related:
        if other.takes_over or other.pk == body.successor_id:
            result.successors.append(other)
        if other.handed_over or other.successor_id == body.pk:
            result.predecessors.append(other)
    return result


def successor_line(body: Body, *, day: date) -> str:
    """For a report as of `day`: a line saying what the body was merged or split into, when
    had ended by then; empty otherwise: "Thành ủy Nha Trang → Đảng ủy phường Nha Trang, ...
    (từ 01/07/2025)"."""
    if body.valid_to is None or body.valid_to >= day:
        return ""
    successors = succession_of(body).successors
    if not successors:
        return ""
    names = ", ".join(s.name for s in successors)
    start = successors[0].valid_from or body.valid_to
    return _("%(body)s → %(successors)s (from %(day)s)") % {
        "body": body.name,
        "successors": names,
        "day": start.strftime("%d/%m/%Y"),
    }


def carried_on_by(assignment: Assignment) -> list[Assignment]:
    """The assignments that carry the assignment on after a reorganisation, with their bodies.
    Only a closed assignment can have been moved, so an open one costs no query."""
    if assignment.cancelled_on is None:
        return []
    return list(assignment.successors.select_related("body").order_by("body__position", "pk"))


def lineage_timeline(*, assignment: Assignment) -> list:
    """The assignment's history read as one line: its own changes, then those of the
    assignment it carries on, and of that one's predecessor, back to the first; newest first.
    Each earlier entry names the body that held the work then."""
    entries = list(assignment_timeline(assignment=assignment))
    seen = {assignment.pk}
    current = assignment
    while current.predecessor_id is not None and current.predecessor_id not in seen:
        current = Assignment.objects.select_related("body").get(pk=current.predecessor_id)
        seen.add(current.pk)
        entries.extend(
            replace(e, detail=e.detail or current.body.name)
            for e in assignment_timeline(assignment=current)
        )
    return entries
