"""Reads for the reminder sweep and the notification bell, each in a fixed number of queries:
the sweep's reads do not grow with the number of assignments."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import Body, Membership, Role, User
from indicators.models import ExplanationRequest, ExplanationState
from tasks.models import Assignment, DeadlineKind, ProgressReport, ReportingPeriod, ReportState

from .models import Reminder, ReminderStep, SubjectKind
from .policy import StepRule


@dataclass(frozen=True)
class Deadline:
    """A date by which a body owes something: a task done, a period's report sent, or an
    explanation the Party Office asked for."""

    kind: str
    assignment_id: int | None
    body_id: int
    deadline: date
    period_id: int | None = None
    explanation_id: int | None = None

    @property
    def subject(self) -> str:
        if self.explanation_id is not None:
            return f"e{self.explanation_id}"
        if self.period_id is None:
            return f"a{self.assignment_id}"
        return f"a{self.assignment_id}/p{self.period_id}"


def active_step_rules() -> list[StepRule]:
    return [
        StepRule(s.pk, s.code, s.days_from_deadline, s.repeat_every_days, s.audience)
        for s in ReminderStep.objects.filter(is_active=True)
    ]


def _active_body(today: date, prefix: str = "body__") -> Q:
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today})
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today}))


def open_deadlines(
    *, today: date, lookahead: int, assignment_ids: Collection[int] | None = None
) -> list[Deadline]:
    """Every deadline a reminder may be due for on `today`: the fixed (or extended) deadlines
    of unfinished assignments, and the due dates of open periods for reports not yet sent.

    Explanation requests not yet answered or closed are deadlines too, by their due dates.

    Completed, cancelled and sent-or-accepted work is left out, and so is the work of bodies
    that no longer exist: reminders stop for them at once. Two queries, plus one per open
    period. Given `assignment_ids`, only the deadlines of those assignments.
    """
    horizon = today + timedelta(days=lookahead)
    reporting = (
        Assignment.objects.reporting()
        .filter(cancelled_on__isnull=True, completed_on__isnull=True)
        .filter(_active_body(today))
        # The model's ordering joins tables only to sort; the sweep needs no order.
        .order_by()
    )
    explanations = ExplanationRequest.objects.filter(
        state=ExplanationState.OPEN, due_on__lte=horizon
    )
    if assignment_ids is not None:
        reporting = reporting.filter(pk__in=assignment_ids)
        explanations = explanations.filter(assignment_id__in=assignment_ids)
    deadlines = [
        Deadline(SubjectKind.ASSIGNMENT_DEADLINE, pk, body_id, effective)
        for pk, body_id, effective in reporting.filter(deadline_kind=DeadlineKind.FIXED)
        .annotate(effective=Coalesce("extended_deadline", "deadline"))
        .filter(effective__lte=horizon)
        .values_list("pk", "body_id", "effective")
    ]
    periods = ReportingPeriod.objects.filter(
        state=ReportingPeriod.State.OPEN, due_on__lte=horizon
    ).values_list("pk", "programme_id", "due_on")
    for period_id, programme_id, due_on in periods:
        sent = ProgressReport.objects.filter(
            assignment=OuterRef("pk"),
            period_id=period_id,
            state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED],
        )
        deadlines.extend(
            Deadline(SubjectKind.PERIOD_REPORT, pk, body_id, due_on, period_id)
            for pk, body_id in reporting.filter(item__programme_id=programme_id)
            .filter(~Exists(sent))
            .values_list("pk", "body_id")
        )
    deadlines.extend(
        Deadline(SubjectKind.EXPLANATION, assignment_id, body_id, due_on, explanation_id=pk)
        for pk, assignment_id, body_id, due_on in explanations.filter(_active_body(today))
        .order_by()
        .values_list("pk", "assignment_id", "body_id", "due_on")
    )
    return deadlines


@dataclass
class Recipients:
    """Who hears about a body's deadlines, by body."""

    officers: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    leaders: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    party_office: list[User] = field(default_factory=list)

    def responsible(self, body_id: int) -> list[User]:
        return self.officers.get(body_id) or self.leaders.get(body_id) or []

    def escalation(self, body_id: int) -> list[User]:
        people = {u.pk: u for u in [*self.leaders.get(body_id, []), *self.party_office]}
        return list(people.values())


def recipients_for(*, body_ids: set[int], today: date) -> Recipients:
    """The active officers and leaders of the bodies, and the Party Office's reviewers; one
    query."""
    result = Recipients()
    memberships = (
        Membership.objects.active_on(today)
        .filter(user__is_active=True)
        .filter(
            Q(body_id__in=body_ids, role__code__in=[Role.OFFICER, Role.LEADER])
            | Q(role__code=Role.REVIEWER, body__kind=Body.Kind.PARTY_OFFICE)
        )
        .select_related("user", "role")
        .order_by("user__username")
    )
    for membership in memberships:
        code = membership.role.code
        if code == Role.REVIEWER:
            result.party_office.append(membership.user)
        elif membership.body_id in body_ids:
            target = result.officers if code == Role.OFFICER else result.leaders
            target[membership.body_id].append(membership.user)
    return result


def reminders_for_display(queryset: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """Reminders and notices with everything the bell's list and the emails show, in the one
    query (the objects of notices are joined too: a list mixes both)."""
    return queryset.select_related(
        "assignment__item__programme",
        "assignment__body",
        "body",
        "period",
        "step",
        "explanation_request__target",
        "explanation_request__body",
        "progress_report__period",
        "progress_report__assignment__item",
        "progress_report__assignment__body",
        "yearly_figure__target",
        "yearly_figure__body",
        "extension_request__assignment__item",
        "extension_request__assignment__body",
        "finding__supervision__body",
        "message__author",
    )


def notices_for_display(queryset: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """Notices with what their emails tell, and their recipients."""
    return reminders_for_display(queryset).select_related("recipient")
