"""Reminders follow the deadline: a reminder whose deadline is no longer the current one is
marked superseded as soon as the change is saved (a service or the admin), leaves the unread
count, shows struck through with the new deadline, and the next digest says that the emailed
one no longer applies. Also: each reminder's title tells the same day count as its body.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Body
from indicators.services import explanation_request
from notifications.models import Reminder
from notifications.notices import notices_digest
from notifications.services import reminders_sweep
from notifications.tests.test_sweep import World, at
from notifications.wording import reminder_title, when_phrase
from tasks.models import Assignment
from tasks.services.assignments import assignment_set_deadline
from tasks.services.common import tracked_save
from tasks.services.extensions import extension_decide, extension_request
from tests.reminders_support import queued_jobs

pytestmark = pytest.mark.database


@pytest.fixture
def world(reference_data, db):
    world = World()
    world.close_period()
    return world


def bell(client, user) -> int:
    client.force_login(user)
    page = client.get(reverse("programme_list")).content.decode()
    start = page.index('data-unread="') + len('data-unread="')
    return int(page[start : page.index('"', start)])


def committed(capture, change):
    """Save a change as a request does: committed, with what runs on commit."""
    with capture(execute=True):
        return change()


def test_a_mistaken_deadline_corrected_a_minute_later_withdraws_its_reminders(
    client, world, django_capture_on_commit_callbacks, text_of
):
    """The case of the issue: the deadline was typed 686 days in the past, the escalation went
    to the leader and the Party Office, and the deadline was corrected to a future date."""
    today = timezone.localdate()
    set_deadline = assignment_set_deadline
    committed(
        django_capture_on_commit_callbacks,
        lambda: set_deadline(
            assignment=world.assignment,
            kind="fixed",
            deadline=today - timedelta(days=686),
            acting_user=world.reviewer,
            reason="Nhập thời hạn",
        ),
    )
    reminders_sweep(now=timezone.now())
    assert {m.to[0] for m in mail.outbox} == {
        world.officer.email,
        world.leader.email,
        world.reviewer.email,
    }
    assert [bell(client, u) for u in (world.officer, world.leader, world.reviewer)] == [1, 1, 1]
    client.force_login(world.leader)
    assert "Quá hạn 686 ngày" in text_of(client.get(reverse("notification_list")))

    corrected = today + timedelta(days=30)
    committed(
        django_capture_on_commit_callbacks,
        lambda: set_deadline(
            assignment=world.assignment,
            kind="fixed",
            deadline=corrected,
            acting_user=world.reviewer,
            reason="Sửa thời hạn nhập nhầm",
        ),
    )

    # Out of the bell at once, for everyone it reached.
    assert [bell(client, u) for u in (world.officer, world.leader, world.reviewer)] == [0, 0, 0]
    for reminder in Reminder.objects.all():
        assert reminder.superseded_reason == "deadline_changed"
        assert reminder.superseded_deadline == corrected
        assert reminder.read_at is None
    # Struck through in the list, the new deadline beside it.
    client.force_login(world.leader)
    markup = client.get(reverse("notification_list")).content.decode()
    item = markup[markup.index('data-superseded="deadline_changed"') :]
    item = item[: item.index("</li>")]
    assert "<del><strong>Quá hạn 686 ngày</strong>" in item
    assert f"Thời hạn mới: {corrected:%d/%m/%Y}." in text_of(item)
    assert "Không còn hiệu lực" in text_of(item)
    assert "Chưa đọc" not in text_of(item)
    # A sweep is queued for the new deadline at once.
    assert ("notifications.jobs.reminders_sweep", ()) in queued_jobs()

    # The emails cannot be recalled: the next digest says they no longer apply, once.
    mail.outbox.clear()
    result = notices_digest()
    assert result.withdrawals == 3
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {world.officer.email, world.leader.email, world.reviewer.email}
    message = by_address[world.leader.email]
    assert "không còn hiệu lực" in message.subject
    assert "III.1, gạch đầu dòng thứ 1, ý thứ 2" in message.body
    assert "Quá hạn 686 ngày" in message.body
    assert f"không còn hiệu lực. Thời hạn mới: {corrected:%d/%m/%Y}." in message.body
    html = message.alternatives[0][0]
    assert f"Thời hạn mới: {corrected:%d/%m/%Y}." in text_of(html)
    mail.outbox.clear()
    assert notices_digest().withdrawals == 0
    assert mail.outbox == []


def _change_deadline(world):
    assignment_set_deadline(
        assignment=world.assignment,
        kind="fixed",
        deadline=world.due + timedelta(days=10),
        acting_user=world.reviewer,
        reason="Điều chỉnh",
    )
    return "deadline_changed", world.due + timedelta(days=10)


def _drop_deadline(world):
    assignment_set_deadline(
        assignment=world.assignment,
        kind="recurring",
        deadline=None,
        acting_user=world.reviewer,
        reason="Chuyển thành nhiệm vụ thường xuyên",
    )
    return "deadline_changed", None


def _extend(world):
    request = extension_request(
        assignment=world.assignment,
        proposed_deadline=world.due + timedelta(days=45),
        reason="Chờ quy hoạch.",
        acting_user=world.leader,
    )
    extension_decide(request=request, approve=True, note="", acting_user=world.reviewer)
    return "deadline_changed", world.due + timedelta(days=45)


def _cancel(world):
    assignment = Assignment.objects.get(pk=world.assignment.pk)
    assignment.cancelled_on = timezone.localdate()
    tracked_save(assignment, acting_user=None, reason="Hủy (trang quản trị)")
    return "cancelled", None


def _complete(world):
    assignment = Assignment.objects.get(pk=world.assignment.pk)
    assignment.completed_on = timezone.localdate()
    tracked_save(assignment, acting_user=None, reason="Hoàn thành")
    return "completed", None


def _move(world):
    assignment = Assignment.objects.get(pk=world.assignment.pk)
    assignment.body = Body.objects.get(code="huyen-uy-khanh-son")
    tracked_save(assignment, acting_user=None, reason="Chuyển cơ quan (trang quản trị)")
    return "moved", None


@pytest.mark.parametrize(
    "change", [_change_deadline, _drop_deadline, _extend, _cancel, _complete, _move]
)
def test_each_change_of_the_deadline_or_of_the_work_supersedes_its_reminders(
    world, django_capture_on_commit_callbacks, change
):
    world.due = timezone.localdate() + timedelta(days=1)
    world.assignment = assignment_set_deadline(
        assignment=world.assignment,
        kind="fixed",
        deadline=world.due,
        acting_user=world.reviewer,
        reason="Giao thời hạn",
    )
    reminders_sweep(now=timezone.now())
    reminders = Reminder.objects.filter(subject_kind="deadline")
    assert reminders.count() == 1  # the officer, a day before

    reason, new_deadline = committed(django_capture_on_commit_callbacks, lambda: change(world))

    reminder = reminders.get()
    assert reminder.superseded_at is not None
    assert (reminder.superseded_reason, reminder.superseded_deadline) == (reason, new_deadline)
    assert not Reminder.objects.unread().exists()


def test_a_period_due_date_moved_in_the_admin_supersedes_its_report_reminders(
    client, reference_data, db, django_capture_on_commit_callbacks, text_of
):
    world = World()
    due = world.period.due_on
    reminders_sweep(now=at(due - timedelta(days=1)))
    about_period = Reminder.objects.filter(subject_kind="period_report", recipient=world.officer)
    assert about_period.exists()
    # Someone else's deadline reminder is not touched.
    world.assignment.refresh_from_db()

    moved = due + timedelta(days=14)
    period = world.period
    period.due_on = moved
    committed(
        django_capture_on_commit_callbacks,
        lambda: tracked_save(period, acting_user=None, reason="Lùi hạn gửi báo cáo"),
    )

    assert set(about_period.values_list("superseded_reason", "superseded_deadline")) == {
        ("deadline_changed", moved)
    }
    assert bell(client, world.officer) == 0


def test_a_change_no_receiver_saw_is_caught_by_the_next_sweep(world):
    deadline = timezone.localdate() + timedelta(days=1)
    assignment_set_deadline(
        assignment=world.assignment,
        kind="fixed",
        deadline=deadline,
        acting_user=world.reviewer,
        reason="Giao thời hạn",
    )
    reminders_sweep(now=timezone.now())
    # A bulk write (an import, a restore) sends no signal.
    Assignment.objects.filter(pk=world.assignment.pk).update(deadline=deadline + timedelta(days=7))
    assert Reminder.objects.get().superseded_at is None

    reminders_sweep(now=timezone.now())

    reminder = Reminder.objects.get()
    assert reminder.superseded_reason == "deadline_changed"
    assert reminder.superseded_deadline == deadline + timedelta(days=7)


def test_an_explanations_new_due_date_supersedes_its_reminders(
    world, django_capture_on_commit_callbacks
):
    assignment_set_deadline(
        assignment=world.assignment,
        kind="fixed",
        deadline=timezone.localdate() - timedelta(days=3),
        acting_user=world.reviewer,
        reason="Giao thời hạn",
    )
    request = explanation_request(
        question="Vì sao chậm?",
        due_on=timezone.localdate() + timedelta(days=1),
        acting_user=world.reviewer,
        assignment=world.assignment,
    )
    reminders_sweep(now=timezone.now())
    about = Reminder.objects.filter(subject_kind="explanation")
    assert about.exists()

    request.due_on = timezone.localdate() + timedelta(days=5)
    committed(
        django_capture_on_commit_callbacks,
        lambda: tracked_save(request, acting_user=None, reason="Lùi hạn giải trình"),
    )

    assert set(about.values_list("superseded_reason", "superseded_deadline")) == {
        ("deadline_changed", request.due_on)
    }


# Wording: one day count, one meaning of overdue.

TITLES = [
    ("deadline", -7, "Còn 7 ngày đến hạn"),
    ("deadline", -1, "Còn 1 ngày đến hạn"),
    ("deadline", 0, "Đến hạn hôm nay"),
    ("deadline", 2, "Quá hạn 2 ngày"),
    ("deadline", 686, "Quá hạn 686 ngày"),
    ("explanation", 3, "Quá hạn 3 ngày"),
    ("period_report", -10, "Chưa đến hạn: còn 10 ngày"),
    ("period_report", -1, "Sắp đến hạn gửi: còn 1 ngày"),
    ("period_report", 0, "Sắp đến hạn gửi: đến hạn hôm nay"),
    ("period_report", 2, "Quá hạn gửi: quá hạn 2 ngày"),
]


@pytest.mark.parametrize(("kind", "days", "title"), TITLES)
def test_a_title_says_the_day_count_in_the_pages_words(settings, kind, days, title):
    settings.DUE_SOON_DAYS = 7
    assert reminder_title(kind, days, deadline=date(2026, 11, 30)) == title


@pytest.mark.parametrize("kind", ["deadline", "period_report", "explanation"])
def test_title_and_body_never_disagree(kind):
    for days in range(-30, 800):
        title = reminder_title(kind, days, deadline=date(2026, 11, 30))
        phrase = when_phrase(days)
        number = [w for w in phrase.split() if w.isdigit()]
        assert [w for w in title.split() if w.isdigit()] == number, (kind, days, title)
        assert ("quá hạn" in title.lower()) == (days > 0), (kind, days, title)
        assert "đúng ngày" not in title


def test_the_annual_report_two_days_late_is_overdue_in_the_bell_and_the_email(
    client, reference_data, db, text_of
):
    """30/11/2026 due, 02/12/2026 unsent: the policy's on-the-day step fires, since the weekly
    overdue step has not come yet; the reminder still says overdue."""
    world = World()
    assert world.period.due_on == date(2026, 11, 30)

    reminders_sweep(now=at(date(2026, 12, 2)))

    reminder = Reminder.objects.filter(
        subject_kind="period_report", recipient=world.officer, assignment=world.assignment
    ).get()
    assert (reminder.step.code, reminder.days_from_deadline) == ("dung-han", 2)
    client.force_login(world.officer)
    page = text_of(client.get(reverse("notification_list")))
    assert "Quá hạn gửi: quá hạn 2 ngày" in page
    # The step that sent it is not what the person reads.
    assert reminder.step.name == "Nhắc đúng ngày đến hạn"
    assert "Nhắc đúng ngày đến hạn" not in page
    [message] = [m for m in mail.outbox if m.to == [world.officer.email]]
    assert "Quá hạn gửi: quá hạn 2 ngày" in message.body
    assert "đúng ngày" not in message.body
