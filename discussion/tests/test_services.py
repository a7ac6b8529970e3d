"""The thread's services, as their callers see them: who may write, the 15-minute edit
window, withdrawal with a trace, a draft report's discussion kept within the body, and files
under the attachment rules. The notices are tested with the notifications, in
tests/test_discussion_notices.py."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from discussion.models import Message, MessageAttachment
from discussion.selectors import message_count, thread_entries
from discussion.services import message_edit, message_post, message_withdraw
from discussion.tests.conftest import pdf
from tasks.services.findings import finding_record
from tasks.services.reports import ReportData, report_create, report_return, report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_vietnamese():
    with translation.override("vi"):
        yield


def post(user, assignment, text="Đề nghị bổ sung số liệu quý IV.", **kwargs) -> Message:
    return message_post(assignment=assignment, text=text, acting_user=user, **kwargs)


@pytest.mark.parametrize("role", ["officer", "leader", "reviewer", "supervisor"])
def test_it_lets_the_body_the_party_office_and_the_supervisors_write(cast, assignment, role):
    message = post(cast[role], assignment)
    assert message.author == cast[role]
    record = message.history.get()
    assert record.history_user == cast[role]
    assert record.history_change_reason == "Đã viết tin nhắn"


@pytest.mark.parametrize("role", ["other_officer", "standing_member", "administrator"])
def test_it_refuses_everyone_else_and_saves_nothing(cast, assignment, role):
    with pytest.raises(PermissionDenied):
        post(cast[role], assignment)
    assert not Message.objects.exists()


def test_a_message_is_corrected_within_15_minutes_by_its_author_only(cast, assignment):
    officer = cast["officer"]
    message = post(officer, assignment, text="Đã ban hành kế hoạch số 12.")
    written = message.created_at

    message_edit(
        message=message,
        text="Đã ban hành kế hoạch số 12/KH-TU.",
        acting_user=officer,
        now=written + timedelta(minutes=14, seconds=59),
    )
    message.refresh_from_db()
    assert message.text == "Đã ban hành kế hoạch số 12/KH-TU."
    assert message.history.first().history_change_reason == "Đã sửa tin nhắn"

    with pytest.raises(PermissionDenied):
        message_edit(message=message, text="Khác.", acting_user=cast["leader"], now=written)
    with pytest.raises(ValidationError, match="15 phút"):
        message_edit(
            message=message,
            text="Sửa muộn.",
            acting_user=officer,
            now=written + timedelta(minutes=15, seconds=1),
        )
    message.refresh_from_db()
    assert message.text == "Đã ban hành kế hoạch số 12/KH-TU."
    assert message.history.count() == 2


def test_a_withdrawn_message_keeps_its_trace_and_its_text_only_in_history(client, cast, assignment):
    officer, reviewer = cast["officer"], cast["reviewer"]
    message = post(officer, assignment, text="Số liệu nhầm, xin gửi lại.")
    with pytest.raises(PermissionDenied):
        message_withdraw(message=message, acting_user=reviewer)

    message_withdraw(message=message, acting_user=officer)

    message.refresh_from_db()
    assert message.withdrawn_at is not None
    assert message.text == ""
    assert Message.objects.filter(pk=message.pk).exists()
    last, first = message.history.order_by("-history_id")[:2]
    assert last.history_change_reason == "Đã thu hồi tin nhắn"
    assert last.history_user == officer
    assert first.text == "Số liệu nhầm, xin gửi lại."
    with pytest.raises(ValidationError):
        message_withdraw(message=message, acting_user=officer)
    with pytest.raises(ValidationError):
        message_edit(message=message, text="Lại.", acting_user=officer)

    client.force_login(reviewer)
    page = client.get(reverse("discussion_thread", args=[assignment.pk])).content.decode()
    assert "Tin nhắn đã được thu hồi lúc" in page
    assert "Số liệu nhầm" not in page


def test_a_draft_reports_discussion_stays_within_the_body_until_it_is_sent(
    client, cast, assignment, period
):
    officer, leader, reviewer = cast["officer"], cast["leader"], cast["reviewer"]
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Dự thảo nội bộ.", percent_complete=10),
        acting_user=officer,
    )
    post(officer, assignment, text="Anh xem giúp dự thảo trước khi gửi.", report=report)
    post(reviewer, assignment, text="Văn phòng chờ báo cáo.")

    assert message_count(leader, assignment) == 2
    assert message_count(reviewer, assignment) == 1
    assert message_count(cast["supervisor"], assignment) == 1
    client.force_login(reviewer)
    page = client.get(reverse("discussion_thread", args=[assignment.pk])).content.decode()
    assert "Anh xem giúp dự thảo" not in page
    # Nor may anyone outside the body attach a message to the draft.
    with pytest.raises(PermissionDenied):
        post(reviewer, assignment, report=report)

    report_submit(report=report, acting_user=leader)
    assert message_count(reviewer, assignment) == 2
    page = client.get(reverse("discussion_thread", args=[assignment.pk])).content.decode()
    assert "Anh xem giúp dự thảo" in page


def test_returns_and_findings_open_the_thread_and_replies_follow_them(
    cast, assignment, supervision, period
):
    officer, leader, reviewer = cast["officer"], cast["leader"], cast["reviewer"]
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Đã lập quy hoạch.", percent_complete=50),
        acting_user=officer,
    )
    report_submit(report=report, acting_user=leader)
    report_return(report=report, reason="Thiếu số liệu quý IV.", acting_user=reviewer)
    report_submit(report=report, acting_user=leader)
    report_return(report=report, reason="Vẫn thiếu nguồn số liệu.", acting_user=reviewer)
    finding = finding_record(
        supervision=supervision,
        period=period,
        text="Tiến độ còn chậm.",
        recommendation="",
        acting_user=cast["supervisor"],
    )
    reply = post(officer, assignment, text="Đã bổ sung số liệu.", report=report)
    answer = post(leader, assignment, text="Đang đẩy nhanh.", finding=finding)

    entries = thread_entries(reviewer, assignment)
    assert [(e.kind, getattr(e.item, "reason", None)) for e in entries[:2]] == [
        ("return", "Thiếu số liệu quý IV."),
        ("return", "Vẫn thiếu nguồn số liệu."),
    ]
    assert [e.item for e in entries[2:]] == [finding, reply, answer]
    # The other body of the task reads the finding but not Nha Trang's returns.
    assert [e.kind for e in thread_entries(officer, assignment)].count("return") == 2


def test_a_reference_to_another_assignments_report_or_finding_is_refused(cast, assignment, period):
    from tasks.models import Assignment

    other = Assignment.objects.get(
        item__key="III.10.b1", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    report = report_create(
        assignment=other,
        period=period,
        data=ReportData(result="Khác.", percent_complete=10),
        acting_user=cast["officer"],
    )
    with pytest.raises(ValidationError):
        post(cast["officer"], assignment, report=report)
    assert not Message.objects.exists()


def test_a_file_goes_through_the_attachment_rules(cast, assignment):
    officer = cast["officer"]
    message = post(officer, assignment, upload=pdf())
    attachment = MessageAttachment.objects.get(message=message)
    assert attachment.original_name == "bien-ban.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.history.get().history_user == officer

    disguised = SimpleUploadedFile("bang-tinh.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        post(officer, assignment, text="Tệp lạ.", upload=disguised)
    assert Message.objects.count() == 1


def test_an_old_message_is_not_offered_for_correction(client, cast, assignment):
    officer = cast["officer"]
    message = post(officer, assignment)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(officer)
    page = client.get(reverse("discussion_thread", args=[assignment.pk])).content.decode()
    assert reverse("discussion_message_edit", args=[message.pk]) not in page
    assert client.get(reverse("discussion_message_edit", args=[message.pk])).status_code == 403
