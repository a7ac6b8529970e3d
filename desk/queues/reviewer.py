"""The Party Office reviewer's queue: what waits for their decision, oldest first, and what
is overdue."""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import ExplanationRequest, ExplanationState, FigureState, YearlyFigure
from indicators.permissions import Action as IndicatorAction
from indicators.permissions import explanation_policy, figure_policy
from indicators.selectors import explanations_for_display, figures_for_display
from tasks.dashboards.base import visible_reports, work
from tasks.models import ExtensionRequest, ProgressReport, ReportingPeriod, ReportState
from tasks.permissions import Action, assignment_policy
from tasks.reporting import local_date, owing_filter

from .common import OverdueWork, PeriodOwing, overdue_work, owing_by_body

# The reports waiting longest that the queue lists; each period's count links to all.
WAITING_LIMIT = 20


@dataclass(frozen=True)
class Waiting:
    """A report waiting for review, and for how many days (since it was last sent)."""

    report: ProgressReport
    days: int


@dataclass(frozen=True)
class QueueCount:
    """One line of the summary: how many of one kind of item wait, and where they are."""

    key: str
    label: str
    count: int
    url: str


@dataclass
class ReviewerQueue:
    waiting: list[Waiting]
    periods: list[PeriodOwing]
    extensions: list[ExtensionRequest]
    explanations: list[ExplanationRequest]
    figures: list[YearlyFigure]
    overdue: OverdueWork

    @property
    def waiting_count(self) -> int:
        return sum(period.waiting for period in self.periods)

    @property
    def waiting_more(self) -> int:
        return self.waiting_count - len(self.waiting)

    @property
    def overdue_periods(self) -> list[PeriodOwing]:
        return [period for period in self.periods if period.past_due]

    @property
    def overdue_body_count(self) -> int:
        return sum(len(period.overdue_bodies) for period in self.periods)

    @property
    def summary(self) -> list[QueueCount]:
        """How many of each, most urgent first; each links to its part of the page."""
        return [
            QueueCount(
                "waiting", _("Reports waiting for review"), self.waiting_count, "#queue-waiting"
            ),
            QueueCount(
                "extensions",
                _("Extension requests to decide"),
                len(self.extensions),
                "#queue-extensions",
            ),
            QueueCount(
                "explanations",
                _("Explanations to close"),
                len(self.explanations),
                "#queue-explanations",
            ),
            QueueCount(
                "figures", _("Figures waiting for review"), len(self.figures), "#queue-figures"
            ),
            QueueCount(
                "overdue_bodies",
                _("Bodies with overdue reports"),
                self.overdue_body_count,
                "#queue-overdue-reports",
            ),
            QueueCount(
                "overdue_work", _("Assignments overdue"), self.overdue.count, "#queue-overdue-work"
            ),
        ]


def _waiting_reports(user, periods: list[ReportingPeriod]):
    """The reports the user may accept or return now (the report policy's review rule: sent,
    in an open period, by a reviewer), on assignments owing a report for that period."""
    if not periods or not assignment_policy.user_has_permission(user, Action.REVIEW):
        return ProgressReport.objects.none()
    owing = reduce(or_, (Q(period=p) & owing_filter(p, prefix="assignment__") for p in periods))
    return visible_reports(user).filter(
        owing, state=ReportState.SUBMITTED, assignment__in=work(user)
    )


def reviewer_queue(*, user, today: date, periods: list[ReportingPeriod]) -> ReviewerQueue:
    """Six queries: the reports waiting longest, what each open period is owed (one union),
    the extension requests, the answered explanations, the figures sent and the overdue
    assignments. `periods` are the open periods."""
    waiting = [
        Waiting(report, (today - local_date(report.submitted_at)).days)
        for report in _waiting_reports(user, periods)
        .select_related("assignment__item__programme", "assignment__body", "period", "submitted_by")
        .order_by("submitted_at", "pk")[:WAITING_LIMIT]
    ]
    extensions = []
    if assignment_policy.user_has_permission(user, Action.SET_DEADLINE):
        extensions = list(
            ExtensionRequest.objects.filter(
                state=ExtensionRequest.State.PENDING,
                assignment__in=assignment_policy.instances_user_has_permission_for(
                    user, Action.SET_DEADLINE
                ),
            )
            .select_related("assignment__item__programme", "assignment__body", "requested_by")
            .order_by("requested_at", "pk")
        )
    explanations = []
    if explanation_policy.user_has_permission(user, IndicatorAction.CLOSE):
        explanations = list(
            explanations_for_display(
                explanation_policy.instances_user_has_permission_for(user).filter(
                    state=ExplanationState.ANSWERED
                )
            ).order_by("answered_at", "pk")
        )
    figures = []
    if figure_policy.user_has_permission(user, IndicatorAction.REVIEW):
        figures = list(
            figures_for_display(
                figure_policy.instances_user_has_permission_for(user).filter(
                    state=FigureState.SUBMITTED
                )
            ).order_by("submitted_at", "pk")
        )
    return ReviewerQueue(
        waiting=waiting,
        periods=owing_by_body(user, periods=periods, today=today),
        extensions=extensions,
        explanations=explanations,
        figures=figures,
        overdue=overdue_work(user, today=today),
    )
