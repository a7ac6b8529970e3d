"""The reminder sweep, travelling in time around real deadlines of the seed programme: who is
reminded, of what, when, once; and when reminders stop."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Body, Role, User
from accounts.services import membership_end, membership_grant, role_groups_sync, user_create
from notifications.models import EmailDelivery, Reminder, ReminderStep
from notifications.services import reminders_plan, reminders_sweep
from tasks.models import Assignment, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.common import tracked_save
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.grants import assignment_grants_sync
from tasks.services.reports import ReportData, report_create, report_return, report_submit

DEADLINE = date(2027, 3, 15)
MEMBERS_SINCE = date(2026, 1, 1)


def at(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def member(username: str, body_code: str, role_code: str, *, email: bool = True):
    user = user_create(
        username=username,
        full_name=f"Cán bộ {username}",
        password="Mat-khau-2026!",
        acting_user=None,
        reason="test",
        email=f"{username}@tinhuy-kh.example" if email else "",
    )
    membership = membership_grant(
        user=user,
        body=Body.objects.get(code=body_code),
        role=Role.objects.get(code=role_code),
        acting_user=None,
        reason="test",
    )
    # In force on every day the tests sweep, whatever today is.
    membership.valid_from = MEMBERS_SINCE
    tracked_save(membership, acting_user=None, reason="test")
    # Without the per-request caches of the user that was just changed.
    return User.objects.get(pk=user.pk)


class World:
    """Thành ủy Nha Trang's task III.1.b1.s2 given a fixed deadline, with an officer, a
    leader, a Party Office reviewer, and an officer of another body."""

    def __init__(self):
        role_groups_sync()
        assignment_grants_sync()
        self.officer = member("cb.nt", "thanh-uy-nha-trang", Role.OFFICER)
        self.leader = member("ld.nt", "thanh-uy-nha-trang", Role.LEADER)
        self.reviewer = member("cv.vp", "van-phong-tinh-uy", Role.REVIEWER)
        self.other_officer = member("cb.cr", "thanh-uy-cam-ranh", Role.OFFICER)
        self.period = ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")
        self.assignment = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
        )
        assignment_set_deadline(
            assignment=self.assignment,
            kind="fixed",
            deadline=DEADLINE,
            acting_user=self.reviewer,
            reason="Giao thời hạn",
        )

    def close_period(self):
        """Leave only the fixed deadline: the open period's report reminders are their own
        tests."""
        self.period.state = ReportingPeriod.State.CLOSED
        tracked_save(self.period, acting_user=None, reason="test")

    def deadline_reminders(self, **filters):
        return Reminder.objects.filter(subject_kind="deadline", **filters)


@pytest.fixture
def world(reference_data, db):
    return World()


@pytest.fixture
def deadlines_only(world):
    world.close_period()
    return world


def steps_sent(world, user) -> list[tuple[str, int, date]]:
    return list(
        world.deadline_reminders(recipient=user)
        .order_by("created_at", "id")
        .values_list("step__code", "occurrence", "deadline")
    )


# Each row: the day the sweep runs (days from the deadline), and what the officer, the leader
# and the Party Office reviewer have been sent by then, in order. Sweeps run on every listed day.
TIMELINE = [
    (-10, [], [], []),
    (-7, [("7-ngay-truoc", 0)], [], []),
    (-5, [("7-ngay-truoc", 0)], [], []),
    (-1, [("7-ngay-truoc", 0), ("1-ngay-truoc", 0)], [], []),
    (0, [("7-ngay-truoc", 0), ("1-ngay-truoc", 0), ("dung-han", 0)], [], []),
    (3, [("7-ngay-truoc", 0), ("1-ngay-truoc", 0), ("dung-han", 0)], [], []),
    (7, [("7-ngay-truoc", 0), ("1-ngay-truoc", 0), ("dung-han", 0), ("qua-han", 0)], [], []),
    (
        14,
        [("7-ngay-truoc", 0), ("1-ngay-truoc", 0), ("dung-han", 0), ("qua-han", 0), ("qua-han", 1)],
        [("bao-cao-vuot-cap", 0)],
        [("bao-cao-vuot-cap", 0)],
    ),
    (
        21,
        [
            ("7-ngay-truoc", 0),
            ("1-ngay-truoc", 0),
            ("dung-han", 0),
            ("qua-han", 0),
            ("qua-han", 1),
            ("qua-han", 2),
        ],
        [("bao-cao-vuot-cap", 0)],
        [("bao-cao-vuot-cap", 0)],
    ),
]


def test_it_follows_the_default_policy_day_by_day(deadlines_only):
    world = deadlines_only
    for days, officer, leader, reviewer in TIMELINE:
        reminders_sweep(now=at(DEADLINE + timedelta(days=days)))
        assert [s[:2] for s in steps_sent(world, world.officer)] == officer, days
        assert [s[:2] for s in steps_sent(world, world.leader)] == leader, days
        assert [s[:2] for s in steps_sent(world, world.reviewer)] == reviewer, days
    assert steps_sent(world, world.other_officer) == []


def test_a_second_sweep_the_same_day_sends_nothing(deadlines_only):
    world = deadlines_only
    first = reminders_sweep(now=at(DEADLINE - timedelta(days=1), 7))
    again = reminders_sweep(now=at(DEADLINE - timedelta(days=1), 15))
    assert (first.sent, first.already_sent, first.failed) == (1, 0, 0)
    assert (again.sent, again.already_sent, again.failed) == (0, 1, 0)
    assert len(mail.outbox) == 1
    assert world.deadline_reminders().count() == 1


def test_an_extension_restarts_the_reminders_against_the_new_deadline(deadlines_only):
    world = deadlines_only
    reminders_sweep(now=at(DEADLINE - timedelta(days=1)))
    request = extension_request(
        assignment=world.assignment,
        proposed_deadline=DEADLINE + timedelta(days=30),
        reason="Chờ phê duyệt quy hoạch",
        acting_user=world.leader,
    )
    extension_decide(request=request, approve=True, note="Đồng ý", acting_user=world.reviewer)

    # Past the original deadline, but within the extension: nothing is overdue.
    reminders_sweep(now=at(DEADLINE + timedelta(days=7)))
    reminders_sweep(now=at(DEADLINE + timedelta(days=29)))
    assert steps_sent(world, world.officer) == [
        ("1-ngay-truoc", 0, DEADLINE),
        ("1-ngay-truoc", 0, DEADLINE + timedelta(days=30)),
    ]


@pytest.mark.parametrize("closing", ["completed", "cancelled", "retired_body", "left_body"])
def test_reminders_stop_at_once(deadlines_only, closing):
    world = deadlines_only
    reminders_sweep(now=at(DEADLINE))
    assert len(steps_sent(world, world.officer)) == 1
    closed_on = DEADLINE + timedelta(days=2)
    if closing == "left_body":
        membership = world.officer.memberships.get()
        membership_end(membership=membership, acting_user=None, reason="test")
    elif closing == "retired_body":
        body = world.assignment.body
        body.valid_to = closed_on
        tracked_save(body, acting_user=None, reason="test")
    else:
        setattr(world.assignment, f"{closing}_on", closed_on)
        tracked_save(world.assignment, acting_user=None, reason="test")

    result = reminders_sweep(now=at(DEADLINE + timedelta(days=14)))
    assert len(steps_sent(world, world.officer)) == 1
    if closing == "left_body":
        # The body still owes the work: its leader and the Party Office hear of it.
        assert result.sent == 3
        assert [s[0] for s in steps_sent(world, world.reviewer)] == ["bao-cao-vuot-cap"]
        assert sorted(s[0] for s in steps_sent(world, world.leader)) == [
            "bao-cao-vuot-cap",
            "qua-han",
        ]
    else:
        assert result.sent == 0
        assert steps_sent(world, world.leader) == []


def test_a_body_without_officers_has_its_leaders_reminded(deadlines_only):
    world = deadlines_only
    membership = world.officer.memberships.get()
    membership_end(membership=membership, acting_user=None, reason="test")
    reminders_sweep(now=at(DEADLINE - timedelta(days=7)))
    assert [s[0] for s in steps_sent(world, world.leader)] == ["7-ngay-truoc"]


def test_the_policy_is_data_an_administrator_changes(deadlines_only):
    world = deadlines_only
    ReminderStep.objects.filter(code="7-ngay-truoc").update(is_active=False)
    step = ReminderStep.objects.get(code="1-ngay-truoc")
    step.days_from_deadline = -3
    tracked_save(step, acting_user=None, reason="test")
    reminders_sweep(now=at(DEADLINE - timedelta(days=6)))
    assert steps_sent(world, world.officer) == []
    reminders_sweep(now=at(DEADLINE - timedelta(days=3)))
    assert [s[0] for s in steps_sent(world, world.officer)] == ["1-ngay-truoc"]
    assert step.history.count() >= 2


def test_a_period_due_date_reminds_every_body_that_has_not_reported(world):
    officer_assignments = Assignment.objects.reporting().filter(body__code="thanh-uy-nha-trang")
    due = world.period.due_on
    result = reminders_sweep(now=at(due - timedelta(days=1)))
    reports = Reminder.objects.filter(subject_kind="period_report")
    officer_reports = reports.filter(recipient=world.officer)
    assert officer_reports.count() == officer_assignments.count() > 0
    assert {r.period_id for r in reports} == {world.period.pk}
    assert set(officer_reports.values_list("step__code", flat=True)) == {"1-ngay-truoc"}
    assert result.sent == reports.count()
    # One digest per person, however many items are due.
    to = [m.to for m in mail.outbox]
    assert sorted(to) == sorted({tuple(t) for t in to} and to)
    assert to.count([world.officer.email]) == 1

    # The officer's body sends its report; a returned report is the body's to redo.
    report = report_create(
        assignment=world.assignment,
        period=world.period,
        data=ReportData(result="Đã xây dựng kế hoạch.", percent_complete=40),
        acting_user=world.officer,
    )
    report_submit(report=report, acting_user=world.leader)
    reminders_sweep(now=at(due))
    on_the_day = officer_reports.filter(step__code="dung-han")
    assert world.assignment.pk not in set(on_the_day.values_list("assignment_id", flat=True))
    assert on_the_day.count() == officer_assignments.count() - 1

    report_return(report=report, reason="Bổ sung số liệu", acting_user=world.reviewer)
    reminders_sweep(now=at(due + timedelta(days=7)))
    assert officer_reports.filter(step__code="qua-han", assignment=world.assignment).exists()


def test_the_digest_is_vietnamese_with_text_and_html_and_links_to_the_task(deadlines_only):
    world = deadlines_only
    reminders_sweep(now=at(DEADLINE + timedelta(days=14)))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {world.officer.email, world.leader.email, world.reviewer.email}
    message = by_recipient[world.officer.email]
    assert "nhắc việc" in message.subject
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = f"http://127.0.0.1:8000/assignments/{world.assignment.pk}/"
    for body in (message.body, html):
        assert "III.1, gạch đầu dòng thứ 1, ý thứ 2" in body
        assert "Thành ủy Nha Trang" in body
        assert "15/03/2027" in body
        assert "quá hạn 14 ngày" in body
        assert link in body
    escalation = by_recipient[world.reviewer.email]
    assert "cần lãnh đạo chỉ đạo" in escalation.body


def test_someone_without_an_email_address_still_finds_it_in_the_app(deadlines_only):
    world = deadlines_only
    world.officer.email = ""
    tracked_save(world.officer, acting_user=None, reason="test")
    result = reminders_sweep(now=at(DEADLINE))
    assert result.sent == 1
    assert mail.outbox == []
    reminder = world.deadline_reminders(recipient=world.officer).get()
    assert reminder.email.state == EmailDelivery.State.NO_ADDRESS


def test_a_dry_run_lists_what_would_go_out_and_writes_nothing(deadlines_only):
    plan = reminders_plan(now=at(DEADLINE + timedelta(days=14)))
    assert {(p.step_code, p.recipient.username) for p in plan.planned} == {
        ("qua-han", "cb.nt"),
        ("bao-cao-vuot-cap", "ld.nt"),
        ("bao-cao-vuot-cap", "cv.vp"),
    }
    out = StringIO()
    call_command("send_reminders", "--now", "2027-03-29T08:00", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert any("cb.nt@tinhuy-kh.example" in line and "III.1.b1.s2" in line for line in lines)
    assert lines[-1] == "reminders: sent 0, already sent 0, failed 0"
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_the_command_travels_in_time_and_prints_one_summary_line(deadlines_only):
    out = StringIO()
    call_command("send_reminders", "--now", "2027-03-29T08:00+07:00", stdout=out)
    assert out.getvalue().splitlines()[-1] == "reminders: sent 3, already sent 0, failed 0"
    out = StringIO()
    call_command("send_reminders", "--now", "2027-03-29", stdout=out)
    assert out.getvalue().splitlines()[-1] == "reminders: sent 0, already sent 3, failed 0"


@pytest.mark.parametrize("value", ["hôm qua", "2027-13-45", "29/03/2027", ""])
def test_the_command_refuses_a_date_it_cannot_read(deadlines_only, value):
    with pytest.raises(CommandError, match="--now"):
        call_command("send_reminders", "--now", value, stdout=StringIO())
    assert not Reminder.objects.exists()


def test_a_new_deadline_or_an_open_period_queues_a_sweep_at_once(
    world, django_capture_on_commit_callbacks
):
    from django_q.models import OrmQ

    from tasks.services.periods import period_open

    def queued() -> list[str]:
        return [q.task["func"] for q in OrmQ.objects.all()]

    OrmQ.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_set_deadline(
            assignment=world.assignment,
            kind="fixed",
            deadline=DEADLINE + timedelta(days=1),
            acting_user=world.reviewer,
            reason="Điều chỉnh thời hạn",
        )
    assert queued() == ["notifications.jobs.reminders_sweep"]
    with django_capture_on_commit_callbacks(execute=True):
        period_open(
            period=ReportingPeriod.objects.get(programme__code="nq23", code="2027-6t"),
            acting_user=world.reviewer,
        )
    assert queued() == ["notifications.jobs.reminders_sweep"] * 2
