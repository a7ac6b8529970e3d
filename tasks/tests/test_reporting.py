"""Reporting compliance per period over a table of dated cases, computed in Python and in SQL
alike, and which assignments owe a report for a period."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Body, User
from programme.models import Item
from tasks import reporting
from tasks.models import Assignment, ProgressReport, ReportingPeriod, ReportState
from tasks.reporting import (
    ReportingStatus,
    days_late,
    default_period,
    first_sent_at_of,
    folded,
    owing_assignments,
    reporting_counts_by,
    reporting_counts_by_body,
    reporting_counts_by_group,
    reporting_status,
)

pytestmark = pytest.mark.database

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
D = date
DUE = D(2026, 11, 30)  # the 2026 annual period's due date


def at(*args) -> datetime:
    """A moment in the province's time."""
    return datetime(*args, tzinfo=HCM)


# (state, first submitted at, last submitted at, today) -> status, with DUE_SOON_DAYS = 7.
# A first submission of None on a sent report is a row written in bulk.
CASES = [
    # sent on time, accepted
    ((ReportState.ACCEPTED, at(2026, 11, 20, 10), at(2026, 11, 20, 10), D(2026, 12, 2)),
     ReportingStatus.SENT_ON_TIME),
    # sent on the due day itself, late in the evening
    ((ReportState.SUBMITTED, at(2026, 11, 30, 23, 59), at(2026, 11, 30, 23, 59), D(2026, 12, 2)),
     ReportingStatus.SENT_ON_TIME),
    # a minute past midnight, Hanoi time (still 30/11 in UTC): late
    ((ReportState.SUBMITTED, at(2026, 12, 1, 0, 1), at(2026, 12, 1, 0, 1), D(2026, 12, 2)),
     ReportingStatus.SENT_LATE),
    # sent late, then accepted
    ((ReportState.ACCEPTED, at(2026, 12, 10, 9), at(2026, 12, 10, 9), D(2026, 12, 20)),
     ReportingStatus.SENT_LATE),
    # first sent on time, returned, resubmitted after the due date: on time
    ((ReportState.SUBMITTED, at(2026, 11, 25, 8), at(2026, 12, 3, 8), D(2026, 12, 5)),
     ReportingStatus.SENT_ON_TIME),
    # first sent on time, returned and not yet resubmitted: on time (not accepted, beside)
    ((ReportState.RETURNED, at(2026, 11, 25, 8), at(2026, 11, 25, 8), D(2026, 12, 5)),
     ReportingStatus.SENT_ON_TIME),
    # first sent late, returned, resubmitted: late
    ((ReportState.SUBMITTED, at(2026, 12, 1, 8), at(2026, 12, 4, 8), D(2026, 12, 5)),
     ReportingStatus.SENT_LATE),
    # written in bulk without its first submission: judged by its submission
    ((ReportState.ACCEPTED, None, at(2026, 12, 1, 8), D(2026, 12, 5)), ReportingStatus.SENT_LATE),
    ((ReportState.ACCEPTED, None, at(2026, 11, 29, 8), D(2026, 12, 5)),
     ReportingStatus.SENT_ON_TIME),
    # a draft only is not sent: overdue once the due date has passed
    ((ReportState.DRAFT, None, None, D(2026, 12, 2)), ReportingStatus.OVERDUE),
    # nothing at all, due on 30/11/2026, seen on 02/12/2026: overdue
    ((None, None, None, D(2026, 12, 2)), ReportingStatus.OVERDUE),
    ((None, None, None, D(2026, 12, 1)), ReportingStatus.OVERDUE),
    # the due day itself: not yet overdue, due soon
    ((None, None, None, D(2026, 11, 30)), ReportingStatus.DUE_SOON),
    ((ReportState.DRAFT, None, None, D(2026, 11, 23)), ReportingStatus.DUE_SOON),
    ((None, None, None, D(2026, 11, 22)), ReportingStatus.NOT_DUE),
    ((None, None, None, D(2026, 6, 1)), ReportingStatus.NOT_DUE),
]  # fmt: skip


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_it_classifies_each_case(case, expected):
    state, first, last, today = case
    report = None
    if state is not None:
        report = ProgressReport(state=state, first_submitted_at=first, submitted_at=last)
    assert (
        reporting_status(
            first_sent_at=first_sent_at_of(report), due_on=DUE, today=today, soon_days=7
        )
        == expected
    )


def test_it_counts_days_late_from_the_first_submission_or_today():
    assert days_late(first_sent_at=at(2026, 12, 1, 0, 1), due_on=DUE, today=D(2026, 12, 9)) == 1
    assert days_late(first_sent_at=at(2026, 11, 30, 23, 59), due_on=DUE, today=D(2027, 1, 1)) == 0
    assert days_late(first_sent_at=None, due_on=DUE, today=D(2026, 12, 2)) == 2
    assert days_late(first_sent_at=None, due_on=DUE, today=D(2026, 11, 2)) == 0


def test_due_soon_counts_as_not_yet_due():
    assert folded({"due_soon": 2, "not_due": 3, "overdue": 1}) == {
        ReportingStatus.SENT_ON_TIME: 0,
        ReportingStatus.SENT_LATE: 0,
        ReportingStatus.NOT_DUE: 5,
        ReportingStatus.OVERDUE: 1,
    }


@pytest.fixture
def annual_2026(reference_data, db) -> ReportingPeriod:
    return ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")


@pytest.fixture
def quiet_body(reference_data, db) -> Body:
    return Body.objects.get(code="bo-chinh-tri")  # a body with no assignments of its own


@pytest.fixture
def drafter(db) -> User:
    return User.objects.create_user("nguoi-soan-thao", password="mat-khau-thu-nghiem-2026")


def report_rows(assignment, period, state, first, last, drafter) -> ProgressReport:
    return ProgressReport(
        assignment=assignment,
        period=period,
        state=state,
        result="Kết quả",
        drafted_by=drafter,
        submitted_by=drafter if last else None,
        first_submitted_at=first,
        submitted_at=last,
        reviewed_at=last if state in (ReportState.ACCEPTED, ReportState.RETURNED) else None,
        return_reason="Thiếu số liệu" if state == ReportState.RETURNED else "",
    )


@pytest.mark.django_db
def test_the_sql_expression_agrees_with_python_on_every_case(annual_2026, quiet_body, drafter):
    tasks = list(Item.objects.tasks().filter(programme=annual_2026.programme)[: len(CASES)])
    rows = []
    for ((_, _, _, today), expected), item in zip(CASES, tasks, strict=True):
        assignment = Assignment.objects.create(
            item=item, body=quiet_body, role=Assignment.Role.COORDINATE
        )
        rows.append((assignment, today, expected))
    # In bulk, as an import writes them: first_submitted_at stays as given, NULL included.
    ProgressReport.objects.bulk_create(
        report_rows(assignment, annual_2026, state, first, last, drafter)
        for (assignment, _, _), ((state, first, last, _), _) in zip(rows, CASES, strict=True)
        if state is not None
    )
    for assignment, today, expected in rows:
        got = owing_assignments(
            annual_2026,
            today=today,
            soon_days=7,
            assignments=Assignment.objects.filter(pk=assignment.pk),
        ).get()
        report = assignment.reports.filter(period=annual_2026).first()
        python = reporting_status(
            first_sent_at=first_sent_at_of(report), due_on=DUE, today=today, soon_days=7
        )
        assert (got.reporting_status, python) == (expected.value, expected), assignment.item.key
        # The sent report is named; a draft is not (it is not sent, and is no one else's to see).
        if report is not None and report.state != ReportState.DRAFT:
            assert (got.report_id, got.report_state) == (report.pk, report.state)
            assert got.first_sent_at == (report.first_submitted_at or report.submitted_at)
        else:
            assert (got.report_id, got.report_state, got.first_sent_at) == (None, None, None)


@pytest.mark.django_db
def test_it_owes_a_report_only_for_assignments_live_during_the_period(annual_2026, quiet_body):
    tasks = iter(Item.objects.tasks().filter(programme=annual_2026.programme))

    def make(role=Assignment.Role.LEAD, body=quiet_body, **dates) -> Assignment:
        parent = None
        if role == Assignment.Role.DELEGATED:
            parent = make()
        return Assignment.objects.create(
            item=next(tasks), body=body, role=role, parent=parent, **dates
        )

    later_body = Body.objects.create(
        code="co-quan-lap-2027", name="Cơ quan lập năm 2027", kind=quiet_body.kind,
        valid_from=D(2027, 1, 1),
    )  # fmt: skip
    new_body = Body.objects.create(
        code="co-quan-lap-2026", name="Cơ quan lập tháng 11/2026", kind=quiet_body.kind,
        valid_from=D(2026, 11, 30),
    )  # fmt: skip
    owes = {
        make(): True,
        make(role=Assignment.Role.COORDINATE): True,
        make(role=Assignment.Role.IMPLEMENT_LOCALLY): True,
        make(role=Assignment.Role.DELEGATED): True,
        make(role=Assignment.Role.SUPERVISE): False,
        make(role=Assignment.Role.RECEIVE_REPORTS): False,
        make(cancelled_on=D(2026, 12, 30)): False,  # cancelled before the period's end
        make(cancelled_on=D(2026, 12, 31)): True,
        make(completed_on=D(2025, 12, 31)): False,  # done before the period began
        make(completed_on=D(2026, 1, 1)): True,
        make(body=later_body): False,  # its body came after the due date
        make(body=new_body): True,
        make(starts_on=D(2026, 12, 1)): False,  # delegated or carried on after the due date
        make(starts_on=D(2026, 11, 30)): True,
    }
    owing = set(
        owing_assignments(
            annual_2026,
            today=D(2026, 12, 2),
            assignments=Assignment.objects.filter(pk__in=[a.pk for a in owes]),
        ).values_list("pk", flat=True)
    )
    assert {a.pk: a.pk in owing for a in owes} == {a.pk: expected for a, expected in owes.items()}
    # The same rule in Python, on the rows as a page reads them.
    read = Assignment.objects.filter(pk__in=[a.pk for a in owes]).select_related("item", "body")
    assert {a.pk: reporting.owes(a, annual_2026) for a in read} == {
        a.pk: expected for a, expected in owes.items()
    }


@pytest.mark.django_db
def test_it_counts_overall_by_body_and_by_task_group_from_the_same_rows(
    annual_2026, quiet_body, drafter, django_assert_num_queries
):
    tasks = list(Item.objects.tasks().filter(programme=annual_2026.programme)[:3])
    on_time, late, missing = (
        Assignment.objects.create(item=item, body=quiet_body, role=Assignment.Role.LEAD)
        for item in tasks
    )
    ProgressReport.objects.bulk_create(
        [
            report_rows(on_time, annual_2026, ReportState.ACCEPTED, None, at(2026, 11, 1), drafter),
            report_rows(late, annual_2026, ReportState.SUBMITTED, None, at(2026, 12, 1), drafter),
        ]
    )
    mine = Assignment.objects.filter(body=quiet_body)
    today = D(2026, 12, 2)
    with django_assert_num_queries(1):
        overall = reporting_counts_by(annual_2026, today=today, assignments=mine)
    assert overall == {"sent_on_time": 1, "sent_late": 1, "overdue": 1}
    assert reporting_counts_by_body(annual_2026, today=today, assignments=mine) == {
        quiet_body.pk: overall
    }
    by_group = reporting_counts_by_group(annual_2026, today=today, assignments=mine)
    assert sum(sum(c.values()) for c in by_group.values()) == 3
    group_of = {
        t.pk: (t.parent if t.parent.kind == Item.Kind.GROUP else t.parent.parent) for t in tasks
    }
    expected: dict = {}
    for assignment, status in (
        (on_time, "sent_on_time"),
        (late, "sent_late"),
        (missing, "overdue"),
    ):
        counts = expected.setdefault(group_of[assignment.item_id].pk, {})
        counts[status] = counts.get(status, 0) + 1
    assert by_group == expected
    # Missing is exactly the rows counted overdue.
    assert list(
        owing_assignments(annual_2026, today=today, assignments=mine)
        .filter(reporting_status=ReportingStatus.OVERDUE)
        .values_list("pk", flat=True)
    ) == [missing.pk]


def test_it_shows_by_default_the_latest_period_past_its_due_date_or_else_the_open_one():
    def period(pk, due_on, state):
        return ReportingPeriod(pk=pk, due_on=due_on, state=state)

    closed = period(1, D(2026, 6, 15), ReportingPeriod.State.CLOSED)
    annual = period(2, D(2026, 11, 30), ReportingPeriod.State.OPEN)
    planned = period(3, D(2027, 6, 15), ReportingPeriod.State.PLANNED)
    periods = [closed, annual, planned]
    assert default_period(periods, today=D(2026, 12, 2)) == annual
    assert default_period(periods, today=D(2026, 11, 30)) == closed
    assert default_period([annual, planned], today=D(2026, 7, 1)) == annual
    assert default_period([planned], today=D(2026, 7, 1)) is None
