"""The tracking data as it stood at a moment, rebuilt from the change history.

Every report reads assignments and progress reports through here: simple-history's `as_of`
gives the latest historical row of each object at or before the moment (one query per model,
whatever the number of rows), so a report for last June shows a completion accepted in August
as not yet completed. A report asked for "now" takes the same path at the moment it was asked
for, so rebuilding it from its parameters gives the same document.

The programme's items and the bodies are read as they are now: a body's current name is the one
its readers know, and an item's text is the document's.

Drafts never leave their body: only reports that had been sent to the Party Office at the
moment (submitted, returned after submission, accepted) are read.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from accounts.collation import vi_sort_key
from accounts.models import Body
from config.history import latest_rows
from programme.models import Item, Programme
from tasks.models import (
    Assignment,
    Attachment,
    CitedDocument,
    Finding,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)
from tasks.reporting import ReportingStatus, reporting_status
from tasks.status import Deadlines, Status, status_of

ASSIGNMENT_FIELDS = (
    "id",
    "item_id",
    "body_id",
    "role",
    "parent_id",
    "deadline_kind",
    "deadline",
    "extended_deadline",
    "completed_on",
    "cancelled_on",
)
REPORT_FIELDS = (
    "id",
    "assignment_id",
    "period_id",
    "state",
    "result",
    "percent_complete",
    "difficulties",
    "proposals",
    "claims_completion",
    "submitted_at",
    "first_submitted_at",
    "reviewed_at",
)


@dataclass(frozen=True)
class AssignmentAt:
    """An assignment as it stood at the moment."""

    id: int
    item_id: int
    body_id: int
    role: str
    parent_id: int | None
    deadline_kind: str
    deadline: date | None
    extended_deadline: date | None
    completed_on: date | None
    cancelled_on: date | None

    @property
    def effective_deadline(self) -> date | None:
        return self.extended_deadline or self.deadline

    @property
    def is_work(self) -> bool:
        """Counts as work, as the dashboards count it: a reporting role, not cancelled."""
        return self.role in Assignment.REPORTING_ROLES and self.cancelled_on is None

    @property
    def role_label(self) -> str:
        return str(Assignment.Role(self.role).label)

    def status(self, *, today: date) -> Status:
        return status_of(
            Deadlines(self.deadline_kind, self.deadline, self.extended_deadline, self.completed_on),
            today=today,
        )


@dataclass(frozen=True)
class ReportAt:
    """A progress report, sent to the Party Office, as it stood at the moment."""

    id: int
    assignment_id: int
    period_id: int
    state: str
    result: str
    percent_complete: int
    difficulties: str
    proposals: str
    claims_completion: bool
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    reviewed_at: datetime | None

    @property
    def is_accepted(self) -> bool:
        return self.state == ReportState.ACCEPTED

    @property
    def first_sent_at(self) -> datetime | None:
        """When it was first sent: timeliness counts from there, through returns (rows
        written in bulk may lack the first time: the latest submission stands in)."""
        return self.first_submitted_at or self.submitted_at


def assignments_as_of(*, programme: Programme, moment: datetime) -> list[AssignmentAt]:
    """The programme's assignments at the moment, in one query."""
    queryset = Assignment.history.as_of(moment).filter(item__programme_id=programme.pk)
    return [AssignmentAt(**row) for row in latest_rows(queryset, ASSIGNMENT_FIELDS)]


def sent_reports_as_of(*, programme: Programme, moment: datetime) -> list[ReportAt]:
    """The programme's progress reports that had reached the Party Office at the moment, in
    one query."""
    queryset = (
        ProgressReport.history.as_of(moment)
        .filter(assignment__item__programme_id=programme.pk)
        .exclude(state=ReportState.DRAFT)
    )
    return [ReportAt(**row) for row in latest_rows(queryset, REPORT_FIELDS)]


def evidence_as_of(*, report_ids: list[int], moment: datetime) -> tuple[list[dict], list[dict]]:
    """The documents cited and the files attached on the reports at the moment: two queries."""
    documents = latest_rows(
        CitedDocument.history.as_of(moment).filter(report_id__in=report_ids),
        ("id", "report_id", "number", "issued_on", "issuer", "title"),
    )
    attachments = latest_rows(
        Attachment.history.as_of(moment).filter(report_id__in=report_ids),
        ("id", "report_id", "original_name"),
    )
    return documents, attachments


def findings_as_of(*, supervision_ids: list[int], moment: datetime) -> list[dict]:
    """The findings recorded on the supervisions by the moment, in one query."""
    return latest_rows(
        Finding.history.as_of(moment).filter(supervision_id__in=supervision_ids),
        ("id", "supervision_id", "period_id", "text", "recommendation", "recorded_at"),
    )


@dataclass
class ProgrammeState:
    """What the reports read of one programme, as it stood at `moment`; `today` is the local
    date of the moment, against which deadlines are judged."""

    programme: Programme
    moment: datetime
    items: dict[int, Item]
    groups: list[Item]
    bodies: dict[int, Body]
    periods: dict[int, ReportingPeriod]
    assignments: list[AssignmentAt]
    reports: list[ReportAt]
    group_of: dict[int, int | None] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return timezone.localdate(self.moment)

    def __post_init__(self) -> None:
        for item in self.items.values():
            self.group_of[item.pk] = self._group_id(item)
        self.statuses = {a.id: a.status(today=self.today) for a in self.assignments}
        self.reports_by_assignment: dict[int, list[ReportAt]] = defaultdict(list)
        for report in self.reports:
            self.reports_by_assignment[report.assignment_id].append(report)

    def _group_id(self, item: Item) -> int | None:
        """The numbered heading of part III a task sits under: its parent, or its
        grandparent for a sub-item (as the dashboards' task_group_expression)."""
        parent = self.items.get(item.parent_id)
        if parent is not None and parent.kind == Item.Kind.GROUP:
            return parent.pk
        grandparent = self.items.get(parent.parent_id) if parent is not None else None
        if grandparent is not None and grandparent.kind == Item.Kind.GROUP:
            return grandparent.pk
        return None

    def work(self) -> list[AssignmentAt]:
        """The assignments that count as work, in document order, then by role and body."""
        roles = list(Assignment.Role.values)
        return sorted(
            (a for a in self.assignments if a.is_work),
            key=lambda a: (
                self.items[a.item_id].sequence,
                roles.index(a.role),
                self.bodies[a.body_id].position,
                vi_sort_key(self.bodies[a.body_id].name),
                a.id,
            ),
        )

    def status(self, assignment: AssignmentAt) -> Status:
        return self.statuses[assignment.id]

    def latest_accepted(self, assignment: AssignmentAt) -> ReportAt | None:
        """The accepted report of the latest period on the assignment."""
        accepted = [r for r in self.reports_by_assignment.get(assignment.id, []) if r.is_accepted]
        if not accepted:
            return None
        return max(
            accepted,
            key=lambda r: (self.periods[r.period_id].due_on, r.reviewed_at or self.moment, r.id),
        )

    def report_for(self, assignment: AssignmentAt, period: ReportingPeriod) -> ReportAt | None:
        for report in self.reports_by_assignment.get(assignment.id, []):
            if report.period_id == period.pk:
                return report
        return None

    def period_sent(self, assignment: AssignmentAt, period: ReportingPeriod) -> bool:
        """Whether the assignment's report for the period had been sent and not returned."""
        report = self.report_for(assignment, period)
        return report is not None and report.state in (ReportState.SUBMITTED, ReportState.ACCEPTED)

    def owes(self, assignment: AssignmentAt, period: ReportingPeriod) -> bool:
        """Whether the assignment owed a report for the period: the rule of
        tasks.reporting.owing_filter, on the assignment as it stood at the moment."""
        body = self.bodies[assignment.body_id]
        return (
            assignment.role in Assignment.REPORTING_ROLES
            and (assignment.cancelled_on is None or assignment.cancelled_on >= period.ends_on)
            and (body.valid_from is None or body.valid_from <= period.due_on)
            and (assignment.completed_on is None or assignment.completed_on >= period.starts_on)
        )

    def reporting_status(
        self, assignment: AssignmentAt, period: ReportingPeriod
    ) -> ReportingStatus:
        """The assignment's reporting status for the period at the moment (tasks.reporting's
        rule): sent on time or late from its first sending, otherwise not yet due or overdue."""
        report = self.report_for(assignment, period)
        return reporting_status(
            first_sent_at=report.first_sent_at if report is not None else None,
            due_on=period.due_on,
            today=self.today,
        )

    def owing(self, period: ReportingPeriod) -> list[AssignmentAt]:
        """The assignments that owed a report for the period, in document order."""
        roles = list(Assignment.Role.values)
        return sorted(
            (a for a in self.assignments if self.owes(a, period)),
            key=lambda a: (
                self.items[a.item_id].sequence,
                roles.index(a.role),
                self.bodies[a.body_id].position,
                vi_sort_key(self.bodies[a.body_id].name),
                a.id,
            ),
        )

    def period_before(self, day: date) -> ReportingPeriod | None:
        """The period whose reports were due last on or before the day: the one a report as
        of that day speaks of."""
        due = [p for p in self.periods.values() if p.due_on <= day]
        return max(due, key=lambda p: (p.due_on, p.ends_on, p.pk)) if due else None


def programme_state(*, programme: Programme, moment: datetime) -> ProgrammeState:
    """Read the programme as it stood at the moment: five queries."""
    items = {
        item.pk: item
        for item in Item.objects.filter(programme=programme)
        .order_by("sequence")
        .only("id", "parent_id", "key", "kind", "section", "sequence", "text", "programme_id")
    }
    groups = [
        item
        for item in items.values()
        if item.kind == Item.Kind.GROUP and item.section == Item.Section.TASKS
    ]
    return ProgrammeState(
        programme=programme,
        moment=moment,
        items=items,
        groups=groups,
        bodies={body.pk: body for body in Body.objects.all()},
        periods={p.pk: p for p in ReportingPeriod.objects.filter(programme=programme)},
        assignments=assignments_as_of(programme=programme, moment=moment),
        reports=sent_reports_as_of(programme=programme, moment=moment),
    )
