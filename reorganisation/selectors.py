"""Reads of the applied acts, each page in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from tasks.models import ProgressReport, ReportState

from .models import AssignmentMove, Reorganisation, Succession


def reorganisation_list() -> QuerySet[Reorganisation]:
    """The acts, newest first, with how many bodies each ended and assignments it moved."""
    return Reorganisation.objects.select_related("applied_by").annotate(
        ended_count=Count("successions__ended_body", distinct=True),
        moved_count=Count("moves__original", distinct=True),
    )


@dataclass(frozen=True)
class ReorganisationPage:
    act: Reorganisation
    successions: list[Succession]
    moves: list[AssignmentMove]
    drafts: list[ProgressReport]

    @property
    def lines(self) -> list[tuple]:
        """Each ended body with its successors, in the act's order."""
        grouped: dict[int, tuple] = {}
        for s in self.successions:
            grouped.setdefault(s.ended_body_id, (s.ended_body, [], s.source))[1].append(s.successor)
        return list(grouped.values())


def reorganisation_page(*, act: Reorganisation, with_drafts: bool) -> ReorganisationPage:
    """The act's lines, the assignments it moved and (for the Party Office) the drafts the
    ended bodies left unsent; four queries."""
    successions = list(
        act.successions.select_related("ended_body", "successor").order_by("position", "pk")
    )
    moves = list(
        AssignmentMove.objects.filter(reorganisation=act)
        .select_related(
            "original__item__programme", "original__body", "successor__body", "successor__item"
        )
        .order_by("original__body__position", "original__item__sequence", "pk")
    )
    drafts = []
    if with_drafts:
        drafts = list(
            ProgressReport.objects.filter(
                assignment_id__in={m.original_id for m in moves}, state=ReportState.DRAFT
            )
            .select_related("assignment__item", "assignment__body", "period")
            .order_by("assignment__body__position", "assignment__item__sequence", "pk")
        )
    return ReorganisationPage(act=act, successions=successions, moves=moves, drafts=drafts)
