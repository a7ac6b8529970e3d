"""A reminder sent now, from the assignment list, by the Party Office: recorded, delivered and
superseded like any reminder the schedule sends; all or nothing; a new occurrence each time.

Marked `database`: it goes through the sweep's raw insert, one statement over arrays on
PostgreSQL and a prepared statement per row elsewhere, and counts queries."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from notifications import jobs
from notifications.models import EmailDelivery, Reminder
from notifications.services import REMIND_NOW_STEP, reminders_sweep
from notifications.tests.test_sweep import DEADLINE, World, at, member
from tasks.models import Assignment
from tasks.services.assignments import assignment_set_deadline
from tasks.services.common import tracked_save
from tests.reminders_support import queued_jobs

pytestmark = pytest.mark.database

URL = reverse("reminder_send_now")


@pytest.fixture
def world(reference_data, db):
    world = World()
    world.close_period()
    return world


def as_user(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def test_it_reminds_the_body_now_and_mails_it_once_committed(
    client, world, django_capture_on_commit_callbacks, text_of
):
    client = as_user(client, world.reviewer)

    page = client.get(URL, {"ids": [world.assignment.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(URL, {"ids": [world.assignment.pk]}, follow=True)

    assert page.status_code == 200
    shown = text_of(page)
    assert "15/03/2027" in shown and "cb.nt" in shown
    assert "1 reminder was sent." in text_of(done)
    reminder = Reminder.objects.get(step__code=REMIND_NOW_STEP)
    assert (reminder.recipient, reminder.subject, reminder.deadline, reminder.occurrence) == (
        world.officer,
        f"a{world.assignment.pk}",
        date(2027, 3, 15),
        0,
    )
    # In the officer's bell, and mailed by the queued job.
    assert Reminder.objects.unread().filter(recipient=world.officer).count() == 1
    (job,) = [j for j in queued_jobs() if j[0] == "notifications.jobs.reminder_emails_send"]
    getattr(jobs, job[0].rsplit(".", 1)[1])(*job[1])
    assert [m.to for m in mail.outbox] == [[world.officer.email]]
    assert EmailDelivery.objects.get(sweep=reminder.sweep).state == "sent"


def test_pressed_again_it_reminds_again_and_the_schedule_never_sends_its_step(client, world):
    client = as_user(client, world.reviewer)

    client.post(URL, {"ids": [world.assignment.pk]})
    client.post(URL, {"ids": [world.assignment.pk]})
    reminders_sweep(now=at(date(2027, 3, 15)))

    assert sorted(
        Reminder.objects.filter(step__code=REMIND_NOW_STEP).values_list("occurrence", flat=True)
    ) == [0, 1]


def test_a_reminder_sent_now_is_superseded_when_the_deadline_changes(
    client, world, django_capture_on_commit_callbacks
):
    as_user(client, world.reviewer).post(URL, {"ids": [world.assignment.pk]})

    with django_capture_on_commit_callbacks(execute=True):
        assignment_set_deadline(
            assignment=world.assignment,
            kind="fixed",
            deadline=date(2027, 6, 30),
            acting_user=world.reviewer,
            reason="Lùi hạn theo kết luận",
        )

    reminder = Reminder.objects.get(step__code=REMIND_NOW_STEP)
    assert reminder.superseded_at is not None
    assert reminder.superseded_deadline == date(2027, 6, 30)


def test_it_sends_nothing_when_one_assignment_has_nothing_to_remind_of(client, world, text_of):
    # A recurring duty, with no period open: nothing is due from it.
    quiet = Assignment.objects.get(
        item__key="III.1.b1.s3", body__code="thanh-uy-cam-ranh", role="implement_locally"
    )
    client = as_user(client, world.reviewer)

    page = client.get(URL, {"ids": [world.assignment.pk, quiet.pk]})
    posted = client.post(URL, {"ids": [world.assignment.pk, quiet.pk]})

    assert page.status_code == posted.status_code == 400
    for response in (page, posted):
        assert "1 selected assignment may not be changed, so nothing will be" in text_of(response)
        assert "Nothing to remind of" in text_of(response)
    assert not Reminder.objects.filter(step__code=REMIND_NOW_STEP).exists()
    assert (
        not EmailDelivery.objects.exists()
        or not EmailDelivery.objects.filter(sweep__in=Reminder.objects.values("sweep")).exists()
    )


BUDGET = 12


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def reporting_selection(count: int) -> list[Assignment]:
    return list(
        Assignment.objects.reporting()
        .filter(completed_on__isnull=True, cancelled_on__isnull=True)
        .select_related("body")
        .order_by("pk")[:count]
    )


def test_the_reminder_sent_now_reads_the_same_for_5_rows_and_for_20(
    client, world, django_assert_max_num_queries
):
    # Only the fixed deadlines (the world's period is closed): one per assignment, to the
    # body's officer (or leaders).
    rows = reporting_selection(25)
    for assignment in rows:
        assignment.deadline_kind, assignment.deadline = "fixed", DEADLINE
        tracked_save(assignment, acting_user=world.reviewer, reason="test")
    # Someone to remind in every body selected.
    staffed = {"thanh-uy-nha-trang", "thanh-uy-cam-ranh"}
    for n, code in enumerate(sorted({a.body.code for a in rows} - staffed)):
        member(f"cb.{n}", code, Role.OFFICER)
    client.force_login(world.reviewer)
    url = reverse("reminder_send_now")

    def page(rows):
        assert client.get(url, {"ids": [a.pk for a in rows]}).status_code == 200

    page(rows[:5])
    with django_assert_max_num_queries(BUDGET):
        few = queries(lambda: page(rows[:5]))
    with django_assert_max_num_queries(BUDGET):
        many = queries(lambda: page(rows[5:]))
    assert few == many

    def send(rows):
        assert client.post(url, {"ids": [a.pk for a in rows]}).status_code == 302

    # Reminders are inserted in one statement and mailed by the task cluster: sending to 20
    # bodies costs what sending to 5 does. (The first press ever also records the step that
    # reminders sent now are filed under.)
    send(rows[:5])
    assert queries(lambda: send(rows[:5])) == queries(lambda: send(rows[5:]))
