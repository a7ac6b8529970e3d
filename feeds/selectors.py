"""What a person's calendar feed holds: the dated events they may see, read with the same
permission policies as the pages (the feed is fetched without a session, so the person is the
one its token names).

- the deadline of each live assignment with a fixed deadline (the extended one when an
  extension was approved);
- for each open reporting period, the day reports are due, once per body, listing the
  assignments that owe a report with each one's reporting status;
- the due date of each explanation request still awaiting its explanation.

Whoever reads every assignment (the Party Office, Standing Committee members, administrators)
gets everything, and may narrow it to one body; everyone else gets their own bodies' work.

Each event's UID names the row it comes from, never its date, so a calendar program moves the
event when a deadline is extended rather than adding a second one.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Body
from accounts.permissions import active_memberships
from indicators.models import ExplanationRequest, ExplanationState
from indicators.permissions import explanation_policy
from tasks.models import Assignment, DeadlineKind, ReportingPeriod
from tasks.permissions import Action, assignment_policy
from tasks.reporting import ReportingStatus, owed_in_periods, owing_filter

from .models import FeedToken

# The right-hand side of every UID: stable whatever host serves the feed.
UID_DOMAIN = "nq23.tinhuy-khanhhoa"
# A calendar shows a description in a small box: long texts are cut.
TEXT_LIMIT = 300


class EventKind:
    DEADLINE = "deadline"
    REPORTS_DUE = "reports_due"
    EXPLANATION_DUE = "explanation_due"


@dataclass(frozen=True)
class FeedEvent:
    """One all-day event of the feed."""

    uid: str
    kind: str
    day: date
    summary: str
    description: str
    path: str


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_token_find(*, secret: str) -> FeedToken | None:
    """The feed whose address carries this secret, with its person, if the person may still
    sign in; None for a wrong, reset or stopped address."""
    return (
        FeedToken.objects.select_related("user")
        .filter(token_hash=token_hash(secret), user__is_active=True)
        .first()
    )


def feed_token_of(*, user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()


def reads_everything(user) -> bool:
    """Whether the person reads every body's assignments, and so gets the whole feed."""
    return assignment_policy.user_has_permission(user, Action.VIEW)


def feed_assignments(*, user, body: Body | None = None) -> QuerySet[Assignment]:
    """The assignments whose dates the person's feed shows: those the assignment policy lets
    them read, of their own bodies unless they read everything."""
    visible = assignment_policy.instances_user_has_permission_for(user, Action.VIEW)
    if not reads_everything(user):
        visible = visible.filter(body_id__in={m.body_id for m in active_memberships(user)})
    if body is not None:
        visible = visible.filter(body=body)
    return visible


def feed_explanations(*, user, body: Body | None = None) -> QuerySet[ExplanationRequest]:
    """The explanation requests awaiting an explanation that the explanation policy lets the
    person read."""
    visible = explanation_policy.instances_user_has_permission_for(user).filter(
        state=ExplanationState.OPEN
    )
    if body is not None:
        visible = visible.filter(body=body)
    return visible


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def _deadline_event(assignment: Assignment) -> FeedEvent:
    lines = [
        _cut(assignment.item.text),
        _("Role: %(role)s") % {"role": assignment.get_role_display()},
    ]
    if assignment.extended_deadline:
        lines.append(
            _("Extended from %(original)s to %(extended)s.")
            % {
                "original": _day(assignment.deadline),
                "extended": _day(assignment.extended_deadline),
            }
        )
    return FeedEvent(
        uid=f"assignment-{assignment.pk}-deadline@{UID_DOMAIN}",
        kind=EventKind.DEADLINE,
        day=assignment.effective_deadline,
        summary=_("Deadline: %(task)s — %(body)s")
        % {"task": assignment.item.citation, "body": assignment.body.display_name},
        description="\n".join(lines),
        path=reverse("assignment_detail", kwargs={"pk": assignment.pk}),
    )


def _reports_due_event(period: ReportingPeriod, body: Body, owed: list) -> FeedEvent:
    lines = [
        _("Reports for %(period)s are due on %(day)s.")
        % {"period": period.name, "day": _day(period.due_on)}
    ]
    for assignment, status in owed:
        lines.append(
            _("- %(task)s (%(role)s): %(status)s")
            % {
                "task": assignment.item.citation,
                "role": assignment.get_role_display(),
                "status": ReportingStatus(status).label,
            }
        )
    return FeedEvent(
        uid=f"period-{period.pk}-body-{body.pk}-reports@{UID_DOMAIN}",
        kind=EventKind.REPORTS_DUE,
        day=period.due_on,
        summary=_("Reports due: %(period)s — %(body)s")
        % {"period": period.name, "body": body.display_name},
        description="\n".join(lines),
        path=reverse("period_detail", kwargs={"pk": period.pk}),
    )


def _explanation_event(request: ExplanationRequest) -> FeedEvent:
    subject = request.target.name if request.target_id else request.assignment.item.citation
    return FeedEvent(
        uid=f"explanation-{request.pk}@{UID_DOMAIN}",
        kind=EventKind.EXPLANATION_DUE,
        day=request.due_on,
        summary=_("Explanation due: %(subject)s — %(body)s")
        % {"subject": subject, "body": request.body.display_name},
        description=_cut(request.question),
        path=reverse("explanation_detail", kwargs={"pk": request.pk}),
    )


def feed_events(*, user, today: date, body: Body | None = None) -> list[FeedEvent]:
    """The person's events by date, in a fixed number of queries whatever the rows."""
    assignments = feed_assignments(user=user, body=body)
    periods = list(ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN))
    owed = owed_in_periods(periods, today=today, assignments=assignments)

    # One read for every assignment an event names: those with a live fixed deadline and
    # those owing a report for an open period.
    with_deadline = Q(
        deadline_kind=DeadlineKind.FIXED, cancelled_on__isnull=True, completed_on__isnull=True
    )
    named = reduce(or_, [owing_filter(period) for period in periods], with_deadline)
    by_id = {
        assignment.pk: assignment
        for assignment in assignments.filter(named).select_related("item", "body")
    }

    events = [
        _deadline_event(a)
        for a in by_id.values()
        if a.deadline_kind == DeadlineKind.FIXED
        and a.cancelled_on is None
        and a.completed_on is None
    ]

    owed_by_body: dict[tuple[int, int], list] = defaultdict(list)
    for row in owed:
        assignment = by_id[row.assignment_id]
        owed_by_body[(row.period_id, assignment.body_id)].append((assignment, row.reporting_status))
    periods_by_id = {period.pk: period for period in periods}
    for (period_id, _body_id), rows in owed_by_body.items():
        rows.sort(key=lambda pair: (pair[0].item.sequence, pair[0].role))
        events.append(_reports_due_event(periods_by_id[period_id], rows[0][0].body, rows))

    explanations = feed_explanations(user=user, body=body).select_related(
        "body", "target", "assignment__item"
    )
    events.extend(_explanation_event(request) for request in explanations)
    events.sort(key=lambda event: (event.day, event.kind, event.uid))
    return events
