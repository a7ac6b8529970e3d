"""The bell's unread count is cached per user: every write that changes it shows on the next
page, and one user's count is never another's."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.bell import unread_count
from notifications.models import Reminder, ReminderStep
from notifications.services import reminder_mark_read, reminders_mark_all_read
from notifications.supersession import reminders_supersede
from tasks.models import Assignment


@pytest.fixture
def assignment(reference_data, db):
    return Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )


def remind(user, assignment, *, n: int = 0) -> Reminder:
    """A reminder as the sweep records it, with the bump the sweep makes."""
    from notifications.bell import bell_bump

    reminder = Reminder.objects.create(
        subject_kind=Reminder.SubjectKind.ASSIGNMENT_DEADLINE,
        subject=f"assignment:{assignment.pk}",
        assignment=assignment,
        body=assignment.body,
        deadline=date(2027, 3, 15) + timedelta(days=n),
        step=ReminderStep.objects.get(code="1-ngay-truoc"),
        days_from_deadline=-1,
        recipient=user,
    )
    bell_bump([user.pk])
    return reminder


def seen(user) -> int:
    """The count as the next page shows it (the user loaded afresh, as each request does)."""
    return unread_count(User.objects.get(pk=user.pk))


def test_it_counts_again_after_each_write_that_changes_it(officer, assignment):
    assert seen(officer) == 0
    first = remind(officer, assignment)
    assert seen(officer) == 1
    remind(officer, assignment, n=1)
    assert seen(officer) == seen(officer) == 2

    reminder_mark_read(reminder=first)
    assert seen(officer) == 1

    remind(officer, assignment, n=2)
    assert seen(officer) == 2
    reminders_mark_all_read(user=officer)
    assert seen(officer) == 0


def test_it_counts_again_after_reminders_are_superseded(officer, assignment):
    remind(officer, assignment)
    assert seen(officer) == 1

    # The deadline moves: the reminder no longer applies and leaves the count.
    Assignment.objects.filter(pk=assignment.pk).update(
        deadline_kind="fixed", deadline=date(2027, 6, 30)
    )
    reminders_supersede(assignment_ids=[assignment.pk], now=timezone.now())

    assert seen(officer) == 0


def test_one_users_count_is_never_anothers(client, officer, other_officer, assignment):
    remind(officer, assignment)
    remind(officer, assignment, n=1)
    User.objects.filter(pk__in=[officer.pk, other_officer.pk]).update(notice_version=3)

    client.force_login(officer)
    mine = client.get(reverse("programme_list")).content.decode()
    client.force_login(other_officer)
    theirs = client.get(reverse("programme_list")).content.decode()

    assert 'data-unread="2"' in mine
    assert 'data-unread="0"' in theirs
