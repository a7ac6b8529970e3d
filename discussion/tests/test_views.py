"""The thread's pages: the permission matrix of its URLs for every role, hostile input that
is refused with nothing saved, and a number of queries that does not grow with the messages
(on the thread and on the assignment's page)."""

import pytest
from django.urls import reverse

from accounts.models import Body, Role, User
from accounts.services import membership_grant
from discussion.models import Message, MessageAttachment
from discussion.services import message_post
from discussion.tests.conftest import pdf
from tasks.services.reports import ReportData, report_create

pytestmark = [pytest.mark.django_db, pytest.mark.database]

ROLES = [
    "anonymous",
    "officer",
    "other_officer",
    "leader",
    "reviewer",
    "supervisor",
    "other_supervisor",
    "standing_member",
    "administrator",
]


@pytest.fixture
def people(cast) -> dict:
    """The cast, and a supervisor of a body that does not supervise the task (the Youth Union
    of another sector: Sở Công Thương holds no supervision)."""
    other = User.objects.create_user("giamsat.khac", password="x", full_name="Giám sát khác")
    membership_grant(
        user=other,
        body=Body.objects.get(code="so-cong-thuong"),
        role=Role.objects.get(code=Role.SUPERVISOR),
        acting_user=None,
        reason="test",
    )
    return {**cast, "other_supervisor": User.objects.get(pk=other.pk)}


def as_(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


READ = {
    "anonymous": 302,
    "officer": 200,
    "leader": 200,
    "reviewer": 200,
    "supervisor": 200,
    "standing_member": 200,
    "administrator": 200,
    "other_officer": 404,
    "other_supervisor": 404,
}
WRITE = (
    READ
    | {"standing_member": 403, "administrator": 403}
    | {r: 302 for r in ("officer", "leader", "reviewer", "supervisor")}
)


@pytest.mark.parametrize("role", ROLES)
def test_the_thread_answers_each_role_as_the_policy_says(client, people, assignment, role):
    url = reverse("discussion_thread", args=[assignment.pk])
    assert as_(client, people, role).get(url).status_code == READ[role]
    response = client.post(url, {"text": f"Tin nhắn của {role}."})
    assert response.status_code == WRITE[role]
    assert Message.objects.filter(text=f"Tin nhắn của {role}.").exists() == (
        WRITE[role] == 302 and role != "anonymous"
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_messages_edit_withdraw_and_file_answer_each_role(client, people, assignment, role):
    message = message_post(
        assignment=assignment, text="Gửi kèm biên bản.", upload=pdf(), acting_user=people["officer"]
    )
    attachment = MessageAttachment.objects.get(message=message)
    client = as_(client, people, role)
    author = role == "officer"
    readers = READ[role]

    download = client.get(reverse("discussion_attachment_download", args=[attachment.pk]))
    assert download.status_code == readers
    if readers == 200:
        assert b"".join(download.streaming_content).startswith(b"%PDF")

    edit = reverse("discussion_message_edit", args=[message.pk])
    expected = 200 if author else (403 if readers == 200 else readers)
    assert client.get(edit).status_code == expected
    response = client.post(edit, {"text": "Đã sửa."})
    assert response.status_code == (302 if author else expected)
    message.refresh_from_db()
    assert (message.text == "Đã sửa.") == author

    withdraw = reverse("discussion_message_withdraw", args=[message.pk])
    assert client.get(withdraw).status_code == (405 if role != "anonymous" else 302)
    response = client.post(withdraw)
    assert response.status_code == (302 if author else expected)
    message.refresh_from_db()
    assert message.is_withdrawn == author
    if author:
        # A withdrawn message's file is no longer handed out.
        url = reverse("discussion_attachment_download", args=[attachment.pk])
        assert client.get(url).status_code == 404


def test_a_message_about_a_draft_is_a_404_outside_the_body(client, people, assignment, period):
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Dự thảo.", percent_complete=10),
        acting_user=people["officer"],
    )
    message = message_post(
        assignment=assignment,
        text="Dự thảo kèm tệp.",
        report=report,
        upload=pdf(),
        acting_user=people["officer"],
    )
    attachment = MessageAttachment.objects.get(message=message)
    for role in ("reviewer", "supervisor", "standing_member", "administrator"):
        client.force_login(people[role])
        url = reverse("discussion_attachment_download", args=[attachment.pk])
        assert client.get(url).status_code == 404
    client.force_login(people["leader"])
    url = reverse("discussion_attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 200


HOSTILE = {
    "empty": "",
    "blank": "   \n\t ",
    "10,000 characters": "Nội dung dài. " * 715,
    "a 600-character word": "a" * 600,
    "HTML": 'Xem <script>alert("x")</script> tại <a href="http://x">đây</a>',
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_refused_with_a_message_and_nothing_saved(
    client, people, assignment, name
):
    client.force_login(people["officer"])
    url = reverse("discussion_thread", args=[assignment.pk])
    response = client.post(url, {"text": HOSTILE[name], "file": pdf()})
    assert response.status_code == 400
    assert 'class="error-summary' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )
    assert not Message.objects.exists()
    assert not MessageAttachment.objects.exists()


def test_a_refused_edit_keeps_the_text(client, people, assignment):
    message = message_post(assignment=assignment, text="Ban đầu.", acting_user=people["officer"])
    client.force_login(people["officer"])
    url = reverse("discussion_message_edit", args=[message.pk])
    assert client.post(url, {"text": "<b>đậm</b>"}).status_code == 400
    message.refresh_from_db()
    assert message.text == "Ban đầu."


def test_a_forged_answer_is_refused(client, people, assignment):
    client.force_login(people["officer"])
    url = reverse("discussion_thread", args=[assignment.pk])
    response = client.post(url, {"text": "Trả lời.", "answers": "finding:999999"})
    assert response.status_code == 400
    assert not Message.objects.exists()


def write(people, assignment, n: int) -> None:
    for i in range(n):
        author = people["officer"] if i % 2 else people["reviewer"]
        message_post(
            assignment=assignment,
            text=f"Tin nhắn số {i}.",
            upload=pdf() if i % 3 == 0 else None,
            acting_user=author,
        )


@pytest.mark.parametrize("page", ["discussion_thread", "assignment_detail"])
def test_the_queries_do_not_grow_with_the_messages(
    client, people, assignment, page, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["officer"])
    url = reverse(page, args=[assignment.pk])
    counts = []
    for more in (2, 20):
        write(people, assignment, more)
        client.get(url)  # warm the session and the caches alike
        with CaptureQueriesContext(connection) as few:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(few))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        client.get(url)
    assert "Tin nhắn số 19." in response.content.decode() or page == "assignment_detail"
