"""Notices of workflow events: each step tells those who act next or who asked, never the one
who took it; each notice is written once; its link opens only for whom may see the object;
each person chooses which come by email at once and which in the daily digest.

The steps are taken through the services, their on-commit work run as a commit would, and the
job they queue run here as a worker of the cluster would run it.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Body
from indicators.services import (
    FigureData,
    explanation_answer,
    explanation_request,
    figure_create,
    figure_return,
    figure_submit,
)
from notifications.models import EmailDelivery, EmailState, NoticePreference, Reminder
from notifications.notices import notices_digest
from notifications.services import reminders_mark_all_read
from programme.models import Target
from tasks.models import Assignment, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.common import tracked_save
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.findings import finding_record
from tasks.services.reports import (
    ReportData,
    report_accept,
    report_create,
    report_return,
    report_submit,
)
from tests.reminders_support import queued_jobs, queued_jobs_run

ITEM = "III.1.b1.s2"
# How people read that key.
ITEM_CITED = "III.1, gạch đầu dòng thứ 1, ý thứ 2"
NHA_TRANG = "thanh-uy-nha-trang"


@pytest.fixture(autouse=True)
def in_vietnamese():
    """The services write their history reasons in the language in force, Vietnamese by
    default; a language left active by another module's request must not leak in."""
    with translation.override("vi"):
        yield


@pytest.fixture
def people(cast):
    """The cast, each with an email address."""
    for user in cast.values():
        user.email = f"{user.username}@tinhuy-kh.example"
        tracked_save(user, acting_user=None, reason="test")
    return cast


@pytest.fixture
def assignment(people) -> Assignment:
    return Assignment.objects.get(item__key=ITEM, body__code=NHA_TRANG, role="implement_locally")


@pytest.fixture
def period(people) -> ReportingPeriod:
    return ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")


@pytest.fixture
def overdue(assignment, people) -> Assignment:
    """The assignment past its deadline: an explanation may be asked of it."""
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=timezone.localdate() - timedelta(days=10),
        acting_user=people["reviewer"],
        reason="Giao thời hạn",
    )
    return assignment


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Take a step as a request would: committed, then its queued jobs run by the cluster."""

    def take(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        queued_jobs_run()
        return result

    return take


def told(event: str | None = None) -> set[tuple[str, str]]:
    """(username, event) of every notice written."""
    notices = Reminder.objects.filter(subject_kind="event")
    if event:
        notices = notices.filter(event=event)
    return set(notices.values_list("recipient__username", "event"))


def draft(assignment, period, officer):
    return report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Đã ban hành kế hoạch thực hiện.", percent_complete=40),
        acting_user=officer,
    )


def test_a_report_tells_the_reviewers_when_sent_and_the_body_when_reviewed(
    people, assignment, period, step
):
    officer, leader, reviewer = people["officer"], people["leader"], people["reviewer"]
    report = draft(assignment, period, officer)
    assert told() == set()

    step(report_submit, report=report, acting_user=leader)
    assert told() == {(reviewer.username, "submitted")}

    step(report_return, report=report, reason="Bổ sung số liệu quý IV.", acting_user=reviewer)
    assert told("returned") == {(officer.username, "returned"), (leader.username, "returned")}

    step(report_submit, report=report, acting_user=leader)
    assert told("resubmitted") == {(reviewer.username, "resubmitted")}

    step(report_accept, report=report, acting_user=reviewer)
    assert told("accepted") == {(officer.username, "accepted"), (leader.username, "accepted")}

    # Nobody outside: not another body, not the supervisor, not the Standing Committee.
    outsiders = {people[k].username for k in ("other_officer", "supervisor", "standing_member")}
    assert not {name for name, _event in told()} & outsiders
    notice = Reminder.objects.get(recipient=officer, event="returned")
    assert notice.link == reverse("report_detail", args=[report.pk])
    assert notice.assignment == assignment
    assert notice.read_at is None


def test_nobody_is_told_of_their_own_action(people, assignment, period, step):
    """A leader who is also a reviewer submits: the other reviewers are told, not them."""
    from accounts.models import Role
    from accounts.services import membership_grant

    leader, reviewer = people["leader"], people["reviewer"]
    membership_grant(
        user=leader,
        body=Body.objects.get(code="van-phong-tinh-uy"),
        role=Role.objects.get(code=Role.REVIEWER),
        acting_user=None,
        reason="test",
    )
    report = draft(assignment, period, people["officer"])
    step(report_submit, report=report, acting_user=leader)

    assert told() == {(reviewer.username, "submitted")}


def test_an_extension_tells_the_reviewers_then_the_body_leaders(people, assignment, step):
    leader, reviewer = people["leader"], people["reviewer"]
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=timezone.localdate() + timedelta(days=20),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )
    request = step(
        extension_request,
        assignment=assignment,
        proposed_deadline=timezone.localdate() + timedelta(days=60),
        reason="Chờ quy hoạch được phê duyệt.",
        acting_user=leader,
    )
    assert told() == {(reviewer.username, "extension_requested")}

    step(extension_decide, request=request, approve=True, note="", acting_user=reviewer)
    # To the leaders, who asked; not to the officers.
    assert told("extension_decided") == {(leader.username, "extension_decided")}
    notice = Reminder.objects.get(event="extension_decided")
    assert notice.title == "Chấp thuận gia hạn"
    assert notice.link == reverse("assignment_detail", args=[assignment.pk]) + "#extensions-heading"


def test_a_finding_tells_the_bodies_whose_work_it_is_about_on_their_own_assignment(
    client, people, assignment, step
):
    supervision = Assignment.objects.get(
        item=assignment.item, body__code="uy-ban-mttq-tinh", role="supervise"
    )
    step(
        finding_record,
        supervision=supervision,
        period=None,
        text="Tiến độ lập quy hoạch cụm công nghiệp còn chậm.",
        recommendation="Đề nghị đẩy nhanh.",
        acting_user=people["supervisor"],
    )

    officer, leader = people["officer"], people["leader"]
    assert told() == {(officer.username, "finding_recorded"), (leader.username, "finding_recorded")}
    notice = Reminder.objects.get(recipient=officer)
    # On the body's own assignment, whose page lists the task's findings.
    assert notice.assignment == assignment
    assert notice.link == reverse("assignment_detail", args=[assignment.pk]) + "#findings-heading"
    client.force_login(officer)
    page = client.get(notice.link)
    assert page.status_code == 200
    assert "Tiến độ lập quy hoạch cụm công nghiệp còn chậm." in page.content.decode()


def test_an_explanation_tells_the_body_and_its_answer_the_reviewer_who_asked(people, overdue, step):
    assignment = overdue
    officer, leader, reviewer = people["officer"], people["leader"], people["reviewer"]
    request = step(
        explanation_request,
        question="Vì sao nhiệm vụ chậm tiến độ?",
        due_on=timezone.localdate() + timedelta(days=10),
        acting_user=reviewer,
        assignment=assignment,
    )
    assert told() == {
        (officer.username, "explanation_requested"),
        (leader.username, "explanation_requested"),
    }

    step(explanation_answer, request=request, answer="Do chờ quy hoạch.", acting_user=officer)
    # The reviewer who asked; not the leader, who did not answer and did not ask.
    assert told("explanation_answered") == {(reviewer.username, "explanation_answered")}
    assert Reminder.objects.get(event="explanation_answered").link == reverse(
        "explanation_detail", args=[request.pk]
    )


@pytest.fixture
def share(people) -> Target:
    target = Target.objects.get(code="ty-trong-cong-nghiep-grdp")
    target.responsible_body = Body.objects.get(code=NHA_TRANG)
    target.baseline_year, target.baseline_value = 2018, Decimal("30")
    tracked_save(target, acting_user=None, reason="test")
    return target


def test_a_figure_is_told_as_a_report_and_its_link_opens_only_for_whom_may_see_it(
    client, people, share, step
):
    officer, leader, reviewer = people["officer"], people["leader"], people["reviewer"]
    figure = figure_create(
        subject=share,
        data=FigureData(year=2025, value=Decimal("31.5"), source="Niên giám thống kê"),
        acting_user=officer,
    )
    step(figure_submit, figure=figure, acting_user=leader)
    assert told() == {(reviewer.username, "submitted")}
    assert Reminder.objects.get(event="submitted").title == "Số liệu được gửi để xem xét"

    step(figure_return, figure=figure, reason="Ghi rõ nguồn số liệu.", acting_user=reviewer)
    assert told("returned") == {(officer.username, "returned"), (leader.username, "returned")}

    # A returned figure is its body's, the Party Office's, the Standing Committee's and the
    # supervisors' to see: the link answers the officer told, and nobody of another body.
    link = Reminder.objects.filter(event="returned").first().link
    assert link == reverse("figure_detail", args=[figure.pk])
    client.force_login(officer)
    assert client.get(link).status_code == 200
    client.force_login(people["other_officer"])
    assert client.get(link).status_code == 404


def test_a_rerun_of_the_job_writes_and_mails_nothing_more(
    people, assignment, period, django_capture_on_commit_callbacks
):
    report = draft(assignment, period, people["officer"])
    report_submit(report=report, acting_user=people["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, reason="Bổ sung số liệu.", acting_user=people["reviewer"])
    [(func, args)] = queued_jobs()
    assert func == "notifications.jobs.notices_deliver"

    first = queued_jobs_run()
    from notifications import jobs

    again = jobs.notices_deliver(*args)

    assert first == ["notices: written 2, already written 0, mailed at once 2"]
    assert again == "notices: written 0, already written 2, mailed at once 0"
    assert Reminder.objects.filter(event="returned").count() == 2
    assert EmailDelivery.objects.count() == 2
    assert len(mail.outbox) == 2


def test_returns_go_at_once_the_rest_waits_for_the_digest_unless_the_person_chose_otherwise(
    client, people, assignment, period, step
):
    officer, leader, reviewer = people["officer"], people["leader"], people["reviewer"]
    report = draft(assignment, period, officer)
    step(report_submit, report=report, acting_user=leader)
    # Submissions wait for the digest, by default.
    assert mail.outbox == []
    step(report_return, report=report, reason="Bổ sung số liệu quý IV.", acting_user=reviewer)
    # Returns go at once, each in its own message.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, leader.email])
    message = next(m for m in mail.outbox if m.to == [officer.email])
    assert "Báo cáo bị trả lại" in message.subject
    assert ITEM_CITED in message.subject
    assert ITEM not in message.subject
    assert "Bổ sung số liệu quý IV." in message.body
    assert f"/reports/{report.pk}/" in message.body

    # The officer would rather have returns in the digest.
    client.force_login(officer)
    settings_page = reverse("notice_preferences")
    choices = {event: "digest" for event in Reminder.Event.values}
    choices["explanation_answered"] = "at_once"
    response = client.post(settings_page, choices)
    assert response.status_code == 302

    mail.outbox.clear()
    step(report_submit, report=report, acting_user=leader)
    step(report_return, report=report, reason="Chưa đủ căn cứ.", acting_user=reviewer)
    assert [m.to for m in mail.outbox] == [[leader.email]]

    # The morning digest: the reviewer's two submissions, the officer's second return.
    mail.outbox.clear()
    result = notices_digest()
    assert result.notices == 3
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {reviewer.email, officer.email}
    assert by_address[reviewer.email].body.count("Báo cáo được gửi để xem xét") == 1
    assert "Báo cáo được gửi lại sau khi bị trả lại" in by_address[reviewer.email].body
    assert "Chưa đủ căn cứ." in by_address[officer.email].body
    html = by_address[officer.email].alternatives[0][0]
    assert f"/reports/{report.pk}/" in html
    # Mailed once: the next digest has nothing to say.
    mail.outbox.clear()
    assert notices_digest().notices == 0
    assert mail.outbox == []
    assert not Reminder.objects.filter(subject_kind="event", sweep__isnull=True).exists()


def test_someone_without_an_address_still_finds_the_notice_in_the_bell(
    client, people, assignment, period, step
):
    officer = people["officer"]
    officer.email = ""
    tracked_save(officer, acting_user=None, reason="test")
    report = draft(assignment, period, officer)
    step(report_submit, report=report, acting_user=people["leader"])
    step(report_return, report=report, reason="Bổ sung.", acting_user=people["reviewer"])

    assert EmailDelivery.objects.get(recipient=officer).state == EmailState.NO_ADDRESS
    client.force_login(officer)
    page = client.get(reverse("notification_list")).content.decode()
    assert "Báo cáo bị trả lại" in page
    assert f'href="/reports/{report.pk}/"' in page


def checked(page: str, name: str) -> str:
    """The value of the radio button checked for `name` on the page."""
    [value] = re.findall(rf'<input type="radio" name="{name}" value="(\w+)"[^>]*\bchecked\b', page)
    return value


def test_the_settings_page_shows_the_defaults_keeps_the_history_and_is_ones_own(
    client, people, text_of
):
    officer = people["officer"]
    client.force_login(officer)
    url = reverse("notice_preferences")
    page = client.get(url).content.decode()
    assert checked(page, "returned") == "at_once"
    assert checked(page, "submitted") == "digest"
    assert "cách nhận mặc định" in text_of(page)
    # The list of notifications links here.
    assert f'href="{url}"' in client.get(reverse("notification_list")).content.decode()

    choices = {event: "digest" for event in Reminder.Event.values}
    client.post(url, choices)
    client.post(url, choices)  # the same again changes nothing

    preferences = NoticePreference.objects.filter(user=officer)
    assert set(preferences.values_list("event", "delivery")) == {
        ("returned", "digest"),
        ("extension_decided", "digest"),
        ("explanation_answered", "digest"),
        ("message_posted", "digest"),
    }
    history = NoticePreference.history.filter(user_id=officer.pk)
    assert history.count() == 4
    assert {h.history_user_id for h in history} == {officer.pk}
    assert checked(client.get(url).content.decode(), "returned") == "digest"
    page = text_of(client.get(url))
    assert "Báo cáo hoặc số liệu bị trả lại: Gộp vào thư tổng hợp hằng ngày" in page

    # Someone else sees their own defaults, not the officer's choices or history.
    client.force_login(people["leader"])
    page = client.get(url).content.decode()
    assert checked(page, "returned") == "at_once"
    assert "Gộp vào thư tổng hợp hằng ngày ·" not in text_of(page)

    # A value that is not a choice is refused with the form, nothing saved.
    response = client.post(url, {**choices, "returned": "never"})
    assert response.status_code == 200
    assert not NoticePreference.objects.filter(user=people["leader"]).exists()

    client.logout()
    assert client.get(url).status_code == 302


def test_a_notice_is_not_written_for_whom_may_no_longer_open_its_object(people, overdue, step):
    """The reviewer who asked has left the Party Office by the time the answer comes."""
    assignment = overdue
    from accounts.models import Membership
    from accounts.services import membership_end

    reviewer = people["reviewer"]
    request = step(
        explanation_request,
        question="Vì sao nhiệm vụ chậm tiến độ?",
        due_on=timezone.localdate() + timedelta(days=10),
        acting_user=reviewer,
        assignment=assignment,
    )
    membership = Membership.objects.get(user=reviewer)
    membership_end(membership=membership, acting_user=None, reason="test")
    step(
        explanation_answer,
        request=request,
        answer="Do chờ quy hoạch.",
        acting_user=people["officer"],
    )

    assert told("explanation_answered") == set()


def test_the_bell_counts_unread_notices(client, people, assignment, period, step):
    officer = people["officer"]
    report = draft(assignment, period, officer)
    step(report_submit, report=report, acting_user=people["leader"])
    step(report_return, report=report, reason="Bổ sung.", acting_user=people["reviewer"])
    client.force_login(officer)
    page = client.get(reverse("programme_list")).content.decode()
    assert 'data-unread="1"' in page

    # Read as the product reads them (the service moves the bell's cached count).
    reminders_mark_all_read(user=officer)
    page = client.get(reverse("programme_list")).content.decode()
    assert 'data-unread="0"' in page
