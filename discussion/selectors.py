"""Reads of the threads: the entries of one thread as a person may see them (return reasons
and findings, read from where the workflow keeps them, then the messages), the count the
assignment's page shows, and who is on the other side of a message (the notices ask).

Each read is a fixed number of queries, whatever the number of messages."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from accounts.models import Body, Membership, Role, User
from tasks.models import Assignment, Finding, ProgressReport, ReportState
from tasks.permissions import Action as TaskAction
from tasks.permissions import report_policy

from .models import Message
from .permissions import discussion_policy, is_body_member


def findings_of(assignment: Assignment) -> QuerySet[Finding]:
    """The findings the assignment's page shows: its own on a supervision, otherwise those
    recorded on the supervisions of its task."""
    if assignment.role == Assignment.Role.SUPERVISE:
        return Finding.objects.filter(supervision=assignment)
    return Finding.objects.filter(
        supervision__item_id=assignment.item_id, supervision__role=Assignment.Role.SUPERVISE
    )


@dataclass(frozen=True)
class ReturnEntry:
    """A report's return by the Party Office, as its history records it."""

    report_id: int
    period_name: str
    reason: str
    at: datetime
    by: str

    @property
    def anchor(self) -> str:
        return f"return-{self.report_id}-{int(self.at.timestamp())}"


@dataclass(frozen=True)
class Entry:
    """One entry of a thread in time order: a return, a finding or a message."""

    at: datetime
    kind: str  # "return", "finding" or "message"
    item: object


def _returns(user, assignment: Assignment) -> list[ReturnEntry]:
    """Every return of the reports on the assignment the user may see, each once, from the
    reports' history (a report returned twice keeps both reasons there): one query."""
    visible = report_policy.instances_user_has_permission_for(user, TaskAction.VIEW).filter(
        assignment=assignment
    )
    rows = (
        ProgressReport.history.filter(
            id__in=visible.values("pk"), state=ReportState.RETURNED, reviewed_at__isnull=False
        )
        .select_related("period", "reviewed_by")
        .order_by("reviewed_at", "history_id")
    )
    seen: dict[tuple, ReturnEntry] = {}
    for row in rows:
        key = (row.id, row.reviewed_at)
        if key not in seen:
            seen[key] = ReturnEntry(
                row.id,
                row.period.name,
                row.return_reason,
                row.reviewed_at,
                row.reviewed_by.display_name if row.reviewed_by else "",
            )
    return list(seen.values())


def findings_shown(assignment: Assignment) -> list[Finding]:
    """The findings that open the thread, newest first, with what the thread shows of them."""
    return list(
        findings_of(assignment)
        .select_related("supervision__body", "period", "recorded_by")
        .order_by("-recorded_at", "-id")
    )


def thread_entries(
    user, assignment: Assignment, *, findings: list[Finding] | None = None
) -> list[Entry]:
    """The thread as the user may read it, oldest first: three queries (two when the findings
    are given), plus one for the messages' files."""
    returns = _returns(user, assignment)
    if findings is None:
        findings = findings_shown(assignment)
    messages = list(
        discussion_policy.messages_of(user, assignment)
        .select_related("author", "report__period", "finding__supervision__body")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    entries = [
        *(Entry(r.at, "return", r) for r in returns),
        *(Entry(f.recorded_at, "finding", f) for f in findings),
        *(Entry(m.created_at, "message", m) for m in messages),
    ]
    order = {"return": 0, "finding": 1, "message": 2}
    entries.sort(key=lambda e: (e.at, order[e.kind], e.item.pk if e.kind != "return" else 0))
    return entries


def message_count(user, assignment: Assignment) -> int:
    """How many messages of the thread the user may read: one query."""
    return discussion_policy.messages_of(user, assignment).count()


def message_audience(message: Message, *, today: date) -> list[User]:
    """The other side of a message, before the notices take out its author and whoever may not
    open it: the body's members when the Party Office or a supervisor wrote; the Party Office's
    reviewers and the task's supervisors when the body wrote; the body's other members when the
    message is about a report still in draft. One query, plus one for a supervision's bodies."""
    assignment = message.assignment
    body_id = assignment.body_id
    if assignment.role == Assignment.Role.SUPERVISE:
        body_roles, supervising = [Role.SUPERVISOR], set()
    else:
        body_roles = [Role.OFFICER, Role.LEADER]
        supervising = set(
            Assignment.objects.filter(
                item_id=assignment.item_id,
                role=Assignment.Role.SUPERVISE,
                cancelled_on__isnull=True,
            ).values_list("body_id", flat=True)
        )
    draft = message.report is not None and message.report.state == ReportState.DRAFT
    from_body = draft or is_body_member(message.author, assignment)
    memberships = (
        Membership.objects.active_on(today)
        .filter(user__is_active=True)
        .filter(
            Q(body_id__in={body_id, *supervising})
            | Q(role__code=Role.REVIEWER, body__kind=Body.Kind.PARTY_OFFICE)
        )
        .select_related("user", "role")
        .order_by("user__username")
    )
    people = []
    for membership in memberships:
        code = membership.role.code
        in_body = membership.body_id == body_id and code in body_roles
        if draft or not from_body:
            if in_body:
                people.append(membership.user)
        elif not in_body and (
            code == Role.REVIEWER or (code == Role.SUPERVISOR and membership.body_id in supervising)
        ):
            people.append(membership.user)
    return people
