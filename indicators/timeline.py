"""The history of figures and explanation requests, as people read it (see tasks.timeline)."""

from tasks.timeline import Source, TimelineEntry, timeline_of

from .models import ExplanationRequest, YearlyFigure


def figure_timeline(*, figure: YearlyFigure) -> list[TimelineEntry]:
    """The figure's drafting, submission and review; one query."""
    return timeline_of(
        [
            Source(
                records=YearlyFigure.history.filter(id=figure.pk).select_related(
                    "history_user", "body", "drafted_by", "submitted_by", "reviewed_by"
                ),
                # The version counter is bookkeeping for concurrent edits, not content.
                hidden=frozenset({"target", "industrial_area", "version"}),
            )
        ]
    )


def figures_timeline(*, figure_ids: list[int]) -> list[TimelineEntry]:
    """The histories of several figures (those the reader may see), each entry naming its
    year; one query."""
    return timeline_of(
        [
            Source(
                records=YearlyFigure.history.filter(id__in=figure_ids).select_related(
                    "history_user", "body", "drafted_by", "submitted_by", "reviewed_by"
                ),
                hidden=frozenset({"target", "industrial_area", "version"}),
                detail=lambda record: str(record.year),
            )
        ]
    )


def explanation_timeline(*, request: ExplanationRequest) -> list[TimelineEntry]:
    """The request's asking, answers and closing; one query."""
    return timeline_of(
        [
            Source(
                records=ExplanationRequest.history.filter(id=request.pk).select_related(
                    "history_user",
                    "target",
                    "assignment__item",
                    "body",
                    "requested_by",
                    "answered_by",
                    "closed_by",
                ),
                hidden=frozenset({"target", "assignment"}),
            )
        ]
    )
