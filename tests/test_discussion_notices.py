"""The notices of the conversation on an assignment: each message tells the other side of the
thread once, in the bell and by email, never its author nor anyone who may not open it; an
edit or a withdrawal tells nobody. The messages are posted through the service, committed,
and the job they queue run as a worker of the cluster runs it."""

import pytest
from django.urls import reverse
from django.utils import translation

from discussion.models import Message
from discussion.services import message_edit, message_post, message_withdraw
from notifications.models import EmailDelivery, Reminder
from tasks.models import Assignment, ReportingPeriod
from tasks.services.reports import ReportData, report_create
from tests.reminders_support import queued_jobs_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def assignment(cast) -> Assignment:
    return Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )


@pytest.fixture
def period(cast) -> ReportingPeriod:
    return ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    def take(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        queued_jobs_run()
        return result

    return take


def post(user, assignment, text="Đề nghị bổ sung số liệu quý IV.", **kwargs) -> Message:
    return message_post(assignment=assignment, text=text, acting_user=user, **kwargs)


def told(event="message_posted") -> list[str]:
    return sorted(
        Reminder.objects.filter(subject_kind="event", event=event).values_list(
            "recipient__username", flat=True
        )
    )


def test_each_message_tells_the_other_side_once_never_its_author(cast, assignment, period, step):
    officer, leader, reviewer, supervisor = (
        cast[k] for k in ("officer", "leader", "reviewer", "supervisor")
    )
    for user in cast.values():
        user.email = f"{user.username}@tinhuy-kh.example"
        user.save()

    first = step(post, user=officer, assignment=assignment)
    assert told() == sorted([reviewer.username, supervisor.username])

    step(post, user=reviewer, assignment=assignment, text="Đề nghị gửi trước ngày 15.")
    assert told() == sorted(
        [reviewer.username, supervisor.username, officer.username, leader.username]
    )
    notice = Reminder.objects.get(recipient=officer)
    assert notice.title == "Có tin nhắn mới trong trao đổi"
    assert notice.link == (
        reverse("discussion_thread", args=[assignment.pk]) + f"#message-{notice.message_id}"
    )
    # At once by email, unless the person chose the digest.
    assert EmailDelivery.objects.filter(recipient=officer).count() == 1

    # A rerun of the jobs writes nothing more; an edit or a withdrawal tells nobody.
    before = Reminder.objects.count()
    queued_jobs_run()
    with_edit = message_edit(message=first, text="Đã sửa.", acting_user=officer)
    message_withdraw(message=with_edit, acting_user=officer)
    queued_jobs_run()
    assert Reminder.objects.count() == before
    assert not Reminder.objects.filter(recipient=cast["other_officer"]).exists()
    assert not Reminder.objects.filter(recipient=cast["standing_member"]).exists()


def test_a_message_on_a_draft_tells_only_the_body(cast, assignment, period, step):
    officer, leader = cast["officer"], cast["leader"]
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Dự thảo.", percent_complete=10),
        acting_user=officer,
    )
    step(post, user=officer, assignment=assignment, text="Anh duyệt giúp.", report=report)
    assert told() == [leader.username]
