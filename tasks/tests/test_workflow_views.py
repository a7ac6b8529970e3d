"""The workflow pages: an assignment, its reports and their review, as each role sees them.

Pages are read in English (the language cookie) where they are matched on labels; data (texts,
names, dates, numbers) is matched as typed.
"""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Body, Role, SecurityEvent
from accounts.services import membership_grant
from tasks.models import (
    Assignment,
    Attachment,
    CitedDocument,
    ExtensionRequest,
    Finding,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_decide as extension_decide_service
from tasks.services.extensions import extension_request
from tasks.services.reports import (
    ReportData,
    attachment_add,
    document_cite,
    report_create,
    report_submit,
    report_update,
)
from tasks.services.reports import report_return as report_return_service

pytestmark = pytest.mark.database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def nha_trang(reference_data, db) -> Assignment:
    return Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )


@pytest.fixture
def period(reference_data, db) -> ReportingPeriod:
    return ReportingPeriod.objects.get(code="2026-nam")


def as_user(client, user):
    client.force_login(user)
    return client


def field_errors(response, name: str) -> str:
    """The errors shown next to one field of a form on the page."""
    markup = response.content.decode()
    match = re.search(rf'<ul class="field__errors" id="id_{name}_error">(.*?)</ul>', markup, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


def form_summary(response) -> str:
    """The error summary at the top of a form."""
    markup = response.content.decode()
    return " ".join(
        re.findall(r'<div class="form-errors error-summary"[^>]*>(.*?)</div>', markup, re.S)
    )


def draft_report(assignment, period, user, **overrides) -> ProgressReport:
    data = {"result": "Đã ban hành kế hoạch thực hiện.", "percent_complete": 40, **overrides}
    return report_create(
        assignment=assignment, period=period, data=ReportData(**data), acting_user=user
    )


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_it_carries_a_report_through_the_full_cycle(english, cast, nha_trang, period, text_of):
    officer, leader, reviewer = cast["officer"], cast["leader"], cast["reviewer"]
    client = as_user(english, officer)

    page = text_of(client.get(reverse("assignment_detail", args=[nha_trang.pk])))
    assert "Write the report for Tổng kết năm 2026" in page
    assert "Set the deadline" not in page

    form = client.get(reverse("report_create", args=[nha_trang.pk]) + f"?period={period.pk}")
    assert "Do not enter information that is a state secret" in text_of(form)
    response = client.post(
        reverse("report_create", args=[nha_trang.pk]),
        {
            "period": period.pk,
            "result": "Thành ủy đã ban hành Kế hoạch số 12-KH/TU.",
            "percent_complete": "40",
            "difficulties": "Thiếu quỹ đất sạch.",
            "proposals": "",
        },
        follow=True,
    )
    report = ProgressReport.objects.get(assignment=nha_trang, period=period)
    page = text_of(response)
    assert response.redirect_chain == [(reverse("report_detail", args=[report.pk]), 302)]
    assert "The draft report was saved." in page
    assert "Thành ủy đã ban hành Kế hoạch số 12-KH/TU." in page
    assert "State: Draft" in page
    assert "Drafted by Nguyễn Thị Lan" in page
    assert "Submit to the Party Office" not in page  # an officer drafts; the leader submits

    response = client.post(
        reverse("attachment_create", args=[report.pk]),
        {"file": SimpleUploadedFile("ke-hoach-12.pdf", PDF, content_type="application/pdf")},
        follow=True,
    )
    assert "ke-hoach-12.pdf was attached." in text_of(response)
    assert "ke-hoach-12.pdf" in text_of(response)

    client = as_user(english, leader)
    page = text_of(client.get(reverse("report_detail", args=[report.pk])))
    assert "Submit to the Party Office" in page
    assert "Accept the report" not in page
    response = client.post(reverse("report_submit", args=[report.pk]), follow=True)
    page = text_of(response)
    assert "The report was submitted to the Party Office." in page
    assert "State: Submitted" in page
    assert "Submitted by Lê Văn Hùng" in page
    assert "Revise the report" not in page

    client = as_user(english, reviewer)
    page = text_of(client.get(reverse("report_detail", args=[report.pk])))
    assert "Accept the report" in page and "Return the report" in page
    assert "Submit to the Party Office" not in page
    response = client.post(
        reverse("report_return", args=[report.pk]),
        {"reason": "Đề nghị bổ sung số liệu diện tích đất đã giao."},
        follow=True,
    )
    page = text_of(response)
    assert "State: Returned" in page
    assert (
        "Returned by the Party Office with this reason: "
        "Đề nghị bổ sung số liệu diện tích đất đã giao." in page
    )
    assert "Reviewed by Phạm Thị Hoa" in page
    assert "Accept the report" not in page

    client = as_user(english, officer)
    edit = client.get(reverse("report_edit", args=[report.pk]))
    assert "Đề nghị bổ sung số liệu diện tích đất đã giao." in text_of(edit)
    report.refresh_from_db()
    assert f'name="version" value="{report.version}"' in edit.content.decode()
    response = client.post(
        reverse("report_edit", args=[report.pk]),
        {
            "result": "Đã giao 35 ha đất cho cụm công nghiệp.",
            "percent_complete": "70",
            "difficulties": "Thiếu quỹ đất sạch.",
            "proposals": "",
            "version": str(report.version),
        },
        follow=True,
    )
    page = text_of(response)
    assert "The report was saved." in page
    assert "Đã giao 35 ha đất cho cụm công nghiệp." in page
    assert "70%" in page

    client = as_user(english, leader)
    page = text_of(client.get(reverse("report_detail", args=[report.pk])))
    assert "Resubmit to the Party Office" in page
    client.post(reverse("report_submit", args=[report.pk]))

    client = as_user(english, reviewer)
    response = client.post(reverse("report_accept", args=[report.pk]), follow=True)
    page = text_of(response)
    assert "The report was accepted." in page
    assert "State: Accepted" in page
    assert "Returned by the Party Office" not in page

    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    for user in (officer, leader, reviewer):
        page = text_of(as_user(english, user).get(reverse("report_detail", args=[report.pk])))
        assert "Revise the report" not in page
        assert "Submit to the Party Office" not in page
        assert "Accept the report" not in page
    page = text_of(as_user(english, officer).get(reverse("assignment_detail", args=[nha_trang.pk])))
    assert "Tổng kết năm 2026 30/11/2026 Accepted 70%" in page
    assert "Write the report for Tổng kết năm 2026" not in page


def test_it_offers_each_role_only_what_it_may_do_on_an_assignment(
    english, cast, nha_trang, text_of
):
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=cast["reviewer"],
        reason="Theo kế hoạch",
    )
    Body.objects.create(
        code="dang-uy-phuong-loc-tho",
        name="Đảng ủy phường Lộc Thọ",
        kind=Body.Kind.AFFILIATED_COMMITTEE,
        parent=nha_trang.body,
    )
    url = reverse("assignment_detail", args=[nha_trang.pk])
    offers = {
        "Write the report for": {"officer", "leader"},
        "Request an extension": {"leader"},
        "Delegate part of the task": {"leader"},
        "Set the deadline": {"reviewer"},
        "Record a finding": set(),
    }
    for role in ("officer", "leader", "reviewer", "supervisor", "standing_member", "administrator"):
        page = text_of(as_user(english, cast[role]).get(url))
        assert "Original deadline 31/12/2026" in page, role
        for label, roles in offers.items():
            assert (label in page) == (role in roles), (role, label)

    supervision = Assignment.objects.get(
        item=nha_trang.item, body__code="uy-ban-mttq-tinh", role="supervise"
    )
    page = text_of(
        as_user(english, cast["supervisor"]).get(
            reverse("assignment_detail", args=[supervision.pk])
        )
    )
    assert "Record a finding" in page
    assert "Write the report for" not in page


def test_it_shows_each_role_only_the_report_steps_it_may_take(
    english, cast, nha_trang, period, text_of
):
    report = draft_report(nha_trang, period, cast["officer"])
    url = reverse("report_detail", args=[report.pk])
    expected = {
        "officer": {"Revise the report", "Cite the document", "Attach the file"},
        "leader": {
            "Revise the report",
            "Cite the document",
            "Attach the file",
            "Submit to the Party Office",
        },
    }
    steps = {
        "Revise the report",
        "Cite the document",
        "Attach the file",
        "Submit to the Party Office",
        "Accept the report",
        "Return the report",
    }
    for role, offered in expected.items():
        page = text_of(as_user(english, cast[role]).get(url))
        assert {step for step in steps if step in page} == offered, role
    # A draft is the body's own: the Party Office, supervisors and the Standing Committee
    # do not see it at all.
    for role in ("reviewer", "supervisor", "standing_member", "administrator"):
        assert as_user(english, cast[role]).get(url).status_code == 404, role

    report_submit(report=report, acting_user=fresh(cast["leader"]))
    reviewer_page = text_of(as_user(english, cast["reviewer"]).get(url))
    assert {step for step in steps if step in reviewer_page} == {
        "Accept the report",
        "Return the report",
    }
    for role in ("officer", "supervisor", "standing_member"):
        page = text_of(as_user(english, cast[role]).get(url))
        assert "Đã ban hành kế hoạch thực hiện." in page, role
        assert not {step for step in steps if step in page}, role


def test_it_never_shows_another_bodys_draft_on_the_assignment_page(
    english, cast, nha_trang, period, text_of
):
    draft_report(nha_trang, period, cast["officer"], result="Nội dung dự thảo nội bộ")

    for role in ("reviewer", "supervisor", "standing_member"):
        response = as_user(english, cast[role]).get(
            reverse("assignment_detail", args=[nha_trang.pk])
        )
        page = text_of(response)
        assert "No report to show." in page, role
        assert "Tổng kết năm 2026" not in page, role
        assert reverse("report_detail", args=[ProgressReport.objects.get().pk]) not in (
            response.content.decode()
        )


def test_it_hides_a_report_and_its_files_from_another_district(
    english, cast, nha_trang, period, text_of
):
    officer, intruder = cast["officer"], cast["other_officer"]
    report = draft_report(nha_trang, period, officer)
    attachment = attachment_add(
        report=report,
        upload=SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf"),
        acting_user=fresh(officer),
    )
    document = document_cite(
        report=report,
        number="12-KH/TU",
        issued_on=date(2026, 3, 1),
        issuer="Thành ủy Nha Trang",
        title="",
        acting_user=fresh(officer),
    )
    client = as_user(english, intruder)
    data = {"result": "Sửa trái phép", "percent_complete": "90", "version": "1"}
    attempts = [
        ("get", reverse("report_detail", args=[report.pk]), {}),
        ("get", reverse("report_edit", args=[report.pk]), {}),
        ("post", reverse("report_edit", args=[report.pk]), data),
        ("post", reverse("report_submit", args=[report.pk]), {}),
        ("get", reverse("report_history", args=[report.pk]), {}),
        ("get", reverse("attachment_download", args=[attachment.pk]), {}),
        ("post", reverse("attachment_delete", args=[attachment.pk]), {}),
        ("post", reverse("document_delete", args=[document.pk]), {}),
        ("post", reverse("document_create", args=[report.pk]), {"number": "1/KH"}),
        ("get", reverse("assignment_detail", args=[nha_trang.pk]), {}),
        ("get", reverse("report_create", args=[nha_trang.pk]), {}),
    ]
    for method, url, payload in attempts:
        response = getattr(client, method)(url, payload)
        assert response.status_code == 404, url
        assert "Sửa trái phép" not in text_of(response)
        assert "bao-cao.pdf" not in text_of(response)

    report.refresh_from_db()
    assert (report.state, report.version, report.result) == (
        ReportState.DRAFT,
        1,
        "Đã ban hành kế hoạch thực hiện.",
    )
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert CitedDocument.objects.filter(pk=document.pk).exists()
    refusals = SecurityEvent.objects.filter(user=intruder, kind=SecurityEvent.Kind.REFUSED)
    assert refusals.count() == len(attempts)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DOWNLOAD).exists()


def test_it_serves_an_attachment_only_as_a_download_and_logs_it(client, cast, nha_trang, period):
    report = draft_report(nha_trang, period, cast["officer"])
    attachment = attachment_add(
        report=report,
        upload=SimpleUploadedFile("Kế hoạch 12.pdf", PDF, content_type="text/html"),
        acting_user=fresh(cast["officer"]),
    )

    response = as_user(client, cast["leader"]).get(
        reverse("attachment_download", args=[attachment.pk])
    )

    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "K%E1%BA%BF%20ho%E1%BA%A1ch%2012.pdf" in response["Content-Disposition"]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.DOWNLOAD)
    assert event.user == cast["leader"]
    assert "Kế hoạch 12.pdf" in event.detail


def test_it_refuses_get_on_the_state_changing_urls(client, cast, nha_trang, period):
    report = draft_report(nha_trang, period, cast["officer"])
    client = as_user(client, cast["leader"])

    for name in ("document_create", "attachment_create"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 405, name
    # Submitting locks the report, so a GET shows the question and changes nothing.
    assert client.get(reverse("report_submit", args=[report.pk])).status_code == 200

    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_it_refuses_a_step_the_user_may_not_take_with_403(english, cast, nha_trang, period):
    report = draft_report(nha_trang, period, cast["officer"])

    officer = as_user(english, cast["officer"])
    assert officer.post(reverse("report_submit", args=[report.pk])).status_code == 403
    assert officer.get(reverse("report_return", args=[report.pk])).status_code == 403
    assert officer.get(reverse("assignment_deadline", args=[nha_trang.pk])).status_code == 403
    supervisor = as_user(english, cast["supervisor"])
    assert supervisor.get(reverse("report_create", args=[nha_trang.pk])).status_code == 403

    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_it_puts_a_percentage_over_100_next_to_the_field(english, cast, nha_trang, period):
    client = as_user(english, cast["officer"])

    response = client.post(
        reverse("report_create", args=[nha_trang.pk]),
        {"period": period.pk, "result": "Kết quả đã đạt được", "percent_complete": "120"},
    )

    assert response.status_code == 400
    assert "less than or equal to 100" in field_errors(response, "percent_complete")
    assert "Kết quả đã đạt được" in response.content.decode()  # the typed text is kept
    assert not ProgressReport.objects.exists()


def test_it_puts_a_services_refusal_next_to_the_field_it_names(english, cast, nha_trang, period):
    client = as_user(english, cast["officer"])

    response = client.post(
        reverse("report_create", args=[nha_trang.pk]),
        {
            "period": period.pk,
            "result": "Đã hoàn thành",
            "percent_complete": "80",
            "claims_completion": "on",
        },
    )

    assert response.status_code == 400
    assert "A completed task is reported at 100 percent." in field_errors(
        response, "percent_complete"
    )
    assert not ProgressReport.objects.exists()


def test_it_requires_a_reason_to_return_a_report(english, cast, nha_trang, period):
    report = draft_report(nha_trang, period, cast["officer"])
    report_submit(report=report, acting_user=fresh(cast["leader"]))
    client = as_user(english, cast["reviewer"])

    response = client.post(reverse("report_return", args=[report.pk]), {"reason": "   "})

    assert response.status_code == 400
    assert "This field is required." in field_errors(response, "reason")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.return_reason == ""


def test_it_rejects_a_malformed_document_number(english, cast, nha_trang, period, text_of):
    report = draft_report(nha_trang, period, cast["officer"])
    client = as_user(english, cast["officer"])

    response = client.post(
        reverse("document_create", args=[report.pk]),
        {"number": "abc", "issued_on": "2026-03-01", "issuer": "Thành ủy Nha Trang"},
    )

    assert response.status_code == 400
    assert "Write the document number as printed" in field_errors(response, "number")
    assert "Thành ủy Nha Trang" in response.content.decode()
    assert "Đã ban hành kế hoạch thực hiện." in text_of(response)  # still the report page
    assert not CitedDocument.objects.exists()


def test_it_rejects_a_document_dated_in_the_future(english, cast, nha_trang, period):
    report = draft_report(nha_trang, period, cast["officer"])
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = as_user(english, cast["officer"]).post(
        reverse("document_create", args=[report.pk]),
        {"number": "12-KH/TU", "issued_on": tomorrow.isoformat(), "issuer": "Thành ủy"},
    )

    assert response.status_code == 400
    assert "cannot be dated in the future" in field_errors(response, "issued_on")
    assert not CitedDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh-chup.png", PDF, "The file's name says .png but its content is something else."),
        ("bao-cao.pdf", PNG, "The file's name says .pdf but its content is something else."),
        ("trong.pdf", b"", "The submitted file is empty."),
        ("ghi-chu.txt", b"chi la van ban", "not a type that may be attached"),
    ],
)
def test_it_rejects_a_file_that_is_not_what_it_says(
    english, cast, nha_trang, period, name, content, message
):
    report = draft_report(nha_trang, period, cast["officer"])

    response = as_user(english, cast["officer"]).post(
        reverse("attachment_create", args=[report.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    assert message in field_errors(response, "file").replace("&#x27;", "'")
    assert not Attachment.objects.exists()
    assert not Attachment.history.exists()


def test_it_refuses_a_stale_edit_and_keeps_the_typed_text(
    english, cast, nha_trang, period, text_of
):
    report = draft_report(nha_trang, period, cast["officer"])
    officer = as_user(english, cast["officer"])
    opened = officer.get(reverse("report_edit", args=[report.pk]))
    assert 'name="version" value="1"' in opened.content.decode()
    # Meanwhile the leader saves the draft.
    report_update(
        report=report,
        data=ReportData(result="Bản của lãnh đạo.", percent_complete=50),
        expected_version=1,
        acting_user=fresh(cast["leader"]),
    )

    response = officer.post(
        reverse("report_edit", args=[report.pk]),
        {"result": "Bản tôi vừa gõ, chưa lưu.", "percent_complete": "45", "version": "1"},
    )

    assert response.status_code == 400
    summary = form_summary(response)
    assert "Lê Văn Hùng saved this report" in summary
    assert "after you opened it" in summary
    assert "result achieved, percent complete" in summary
    markup = response.content.decode()
    assert re.search(r"<textarea[^>]*>\s*Bản tôi vừa gõ, chưa lưu.</textarea>", markup)
    assert "The report as saved now" in text_of(response)
    assert "Bản của lãnh đạo." in text_of(response)
    report.refresh_from_db()
    assert (report.result, report.version) == ("Bản của lãnh đạo.", 2)
    # The form now carries the version it was compared with: saving again is deliberate.
    assert 'name="version" value="2"' in markup


def test_it_shows_old_and_new_values_on_the_report_timeline(
    english, cast, nha_trang, period, text_of
):
    officer = cast["officer"]
    report = draft_report(nha_trang, period, officer)
    client = as_user(english, officer)
    client.post(
        reverse("report_edit", args=[report.pk]),
        {
            "result": "Đã giao đất cho cụm công nghiệp.",
            "percent_complete": "75",
            "claims_completion": "",
            "version": "1",
        },
    )
    attachment = attachment_add(
        report=report,
        upload=SimpleUploadedFile("tam.pdf", PDF),
        acting_user=fresh(officer),
    )
    client.post(reverse("attachment_delete", args=[attachment.pk]))
    report_submit(report=report, acting_user=fresh(cast["leader"]))

    response = client.get(reverse("report_history", args=[report.pk]))
    markup = response.content.decode()
    entries = re.findall(r'<li class="panel timeline__entry[^"]*">(.*?)</li>', markup, re.S)
    texts = [text_of(entry) for entry in entries]

    assert len(texts) == 5  # created, revised, file attached, file removed, submitted
    submitted, removed, attached, revised, created = texts
    assert "Progress report · changed" in submitted
    assert "By Lê Văn Hùng Reason Submitted" in submitted
    assert "State Draft Submitted" in submitted
    assert "Submitted by — Lê Văn Hùng" in submitted
    assert "Attachment tam.pdf · deleted" in removed
    assert "By Nguyễn Thị Lan Reason File removed" in removed
    assert "Attachment tam.pdf · created" in attached
    assert "Percent complete 40 75" in revised
    assert (
        "Result achieved Đã ban hành kế hoạch thực hiện. Đã giao đất cho cụm công nghiệp."
        in revised
    )
    assert "Version" not in revised
    assert "Reason Draft revised" in revised
    assert "Progress report · created" in created
    assert "The task is completed — No" in created
    time = timezone.localtime(ProgressReport.history.earliest("history_date").history_date)
    assert time.strftime("%d/%m/%Y %H:%M") in created
    assert "Revert" not in text_of(response)
    assert "<form" not in markup.split('<main id="main"', 1)[1]


def test_it_shows_deadline_and_extension_changes_on_the_assignment_timeline(
    english, cast, nha_trang, text_of
):
    reviewer, leader = cast["reviewer"], cast["leader"]
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=reviewer,
        reason="Theo Kế hoạch 12",
    )
    client = as_user(english, leader)
    response = client.post(
        reverse("extension_request_create", args=[nha_trang.pk]),
        {"proposed_deadline": "2027-03-31", "reason": "Chờ giải phóng mặt bằng."},
        follow=True,
    )
    assert "The extension request was sent to the Party Office." in text_of(response)
    extension = ExtensionRequest.objects.get()
    client = as_user(english, reviewer)
    response = client.post(
        reverse("extension_decide", args=[extension.pk]),
        {"decision": "approve", "note": "Đồng ý."},
        follow=True,
    )
    page = text_of(response)
    assert "The extension was approved." in page
    assert "Original deadline 31/12/2026" in page
    assert "Extended deadline 31/03/2027" in page

    page = text_of(client.get(reverse("assignment_history", args=[nha_trang.pk])))

    assert "Extended deadline — 31/03/2027" in page
    assert "State Pending Approved" in page
    assert "Decided by — Phạm Thị Hoa" in page
    assert "Deadline kind Recurring duty Fixed deadline" in page
    assert "Deadline — 31/12/2026" in page
    assert "Reason Theo Kế hoạch 12" in page
    assert page.index("Extended deadline — 31/03/2027") < page.index("Deadline — 31/12/2026")


def test_it_sets_a_deadline_through_the_form(english, cast, nha_trang, text_of):
    client = as_user(english, cast["reviewer"])

    missing = client.post(
        reverse("assignment_deadline", args=[nha_trang.pk]),
        {"kind": "fixed", "deadline": "", "reason": "Theo kế hoạch"},
    )
    too_early = client.post(
        reverse("assignment_deadline", args=[nha_trang.pk]),
        {"kind": "fixed", "deadline": "2010-01-01", "reason": "Theo kế hoạch"},
    )
    saved = client.post(
        reverse("assignment_deadline", args=[nha_trang.pk]),
        {"kind": "fixed", "deadline": "31/12/2026", "reason": "Theo kế hoạch"},
        follow=True,
    )

    assert missing.status_code == too_early.status_code == 400
    assert "A fixed deadline needs a date." in field_errors(missing, "deadline")
    assert "cannot be before the programme was issued" in field_errors(too_early, "deadline")
    assert "The deadline was saved." in text_of(saved)
    assert "Original deadline 31/12/2026" in text_of(saved)
    nha_trang.refresh_from_db()
    assert nha_trang.deadline == date(2026, 12, 31)


def test_it_refuses_an_extension_without_a_reason_and_a_refusal_without_a_note(
    english, cast, nha_trang
):
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=cast["reviewer"],
        reason="Theo kế hoạch",
    )
    leader = as_user(english, cast["leader"])
    early = leader.post(
        reverse("extension_request_create", args=[nha_trang.pk]),
        {"proposed_deadline": "2026-12-01", "reason": ""},
    )
    assert early.status_code == 400
    assert "The new deadline must be after 31/12/2026." in field_errors(early, "proposed_deadline")
    assert "This field is required." in field_errors(early, "reason")
    assert not ExtensionRequest.objects.exists()

    extension = extension_request(
        assignment=nha_trang,
        proposed_deadline=date(2027, 6, 30),
        reason="Chờ vốn",
        acting_user=fresh(cast["leader"]),
    )
    response = as_user(english, cast["reviewer"]).post(
        reverse("extension_decide", args=[extension.pk]), {"decision": "refuse", "note": ""}
    )
    assert response.status_code == 400
    assert "Say why the extension is refused." in field_errors(response, "note")
    extension.refresh_from_db()
    assert extension.state == ExtensionRequest.State.PENDING


def test_it_delegates_to_a_subordinate_body_which_then_reports(
    english, cast, nha_trang, period, text_of
):
    ward = Body.objects.create(
        code="dang-uy-phuong-loc-tho",
        name="Đảng ủy phường Lộc Thọ",
        kind=Body.Kind.AFFILIATED_COMMITTEE,
        parent=nha_trang.body,
    )
    client = as_user(english, cast["leader"])
    form = client.get(reverse("assignment_delegate", args=[nha_trang.pk]))
    assert "Đảng ủy phường Lộc Thọ" in text_of(form)
    assert "Thành ủy Cam Ranh" not in text_of(form)

    response = client.post(
        reverse("assignment_delegate", args=[nha_trang.pk]),
        {"body": ward.pk, "note": "Cụm công nghiệp Lộc Thọ"},
        follow=True,
    )

    page = text_of(response)
    assert "Part of the task was delegated to Đảng ủy phường Lộc Thọ." in page
    assert "Delegated parts Body Part delegated Status" in page
    assert "Đảng ủy phường Lộc Thọ Cụm công nghiệp Lộc Thọ Recurring duty" in page
    delegated = Assignment.objects.get(body=ward)
    ward_officer = type(cast["officer"]).objects.create_user("canbo.locTho", full_name="Cán bộ")
    membership_grant(
        user=ward_officer,
        body=ward,
        role=Role.objects.get(code=Role.OFFICER),
        acting_user=None,
        reason="test",
    )
    page = text_of(
        as_user(english, ward_officer).get(reverse("assignment_detail", args=[delegated.pk]))
    )
    assert f"Delegated from {nha_trang.body.name_en} · Implement locally" in page
    assert "Write the report for Tổng kết năm 2026" in page


def test_it_records_a_supervision_finding(english, cast, nha_trang, text_of):
    supervision = Assignment.objects.get(
        item=nha_trang.item, body__code="uy-ban-mttq-tinh", role="supervise"
    )
    client = as_user(english, cast["supervisor"])

    empty = client.post(reverse("finding_create", args=[supervision.pk]), {"text": ""})
    response = client.post(
        reverse("finding_create", args=[supervision.pk]),
        {"text": "Tiến độ giải phóng mặt bằng chậm.", "recommendation": "Đẩy nhanh."},
        follow=True,
    )

    assert empty.status_code == 400
    assert "This field is required." in field_errors(empty, "text")
    assert "The finding was recorded." in text_of(response)
    assert "Tiến độ giải phóng mặt bằng chậm." in text_of(response)
    assert Finding.objects.count() == 1
    # The implementing body sees the supervisors' findings on its task.
    page = text_of(
        as_user(english, cast["officer"]).get(reverse("assignment_detail", args=[nha_trang.pk]))
    )
    assert supervision.body.name_en in page
    assert "Tiến độ giải phóng mặt bằng chậm." in page


# Query counts: the same whatever the number of rows.


def _populate(assignment: Assignment, rows: int, reviewer) -> None:
    """`rows` accepted reports on past periods, decided extension requests and supervisors'
    findings on the assignment's task, saved as their services would leave them."""
    now = timezone.now()
    periods = ReportingPeriod.objects.filter(
        programme=assignment.item.programme, state=ReportingPeriod.State.CLOSED
    ).order_by("due_on")[:rows]
    for period in periods:
        ProgressReport.objects.create(
            assignment=assignment,
            period=period,
            state=ReportState.ACCEPTED,
            result=f"Kết quả {period.code}",
            percent_complete=50,
            drafted_by=reviewer,
            submitted_by=reviewer,
            submitted_at=now,
            reviewed_by=reviewer,
            reviewed_at=now,
        )
    supervision = Assignment.objects.get(
        item=assignment.item, body__code="uy-ban-mttq-tinh", role="supervise"
    )
    for n in range(rows):
        ExtensionRequest.objects.create(
            assignment=assignment,
            state=ExtensionRequest.State.REFUSED,
            reason=f"Lý do {n}",
            current_deadline=date(2026, 1, 1),
            proposed_deadline=date(2026, 2, 1) + timedelta(days=n),
            requested_by=reviewer,
            decided_by=reviewer,
            decided_at=now,
            decision_note="Không đồng ý",
        )
        Finding.objects.create(supervision=supervision, text=f"Ý kiến {n}", recorded_by=reviewer)


# With the per-user caches warm (memberships, permissions, assignment grants, unread count).
ASSIGNMENT_DETAIL_QUERIES = 8
ASSIGNMENT_HISTORY_QUERIES = 6
REPORT_HISTORY_QUERIES = 6


@pytest.mark.parametrize("rows", [2, 8])
def test_it_reads_the_assignment_page_in_a_fixed_number_of_queries(
    client, cast, nha_trang, rows, django_assert_max_num_queries, text_of
):
    _populate(nha_trang, rows, cast["reviewer"])
    client = as_user(client, cast["leader"])

    client.get(
        reverse("assignment_detail", args=[nha_trang.pk])
    )  # warms the caches: the count is of the steady state
    # Served from the page's cache (tasks/views/assignment_page.py): fewer than the budget.
    with django_assert_max_num_queries(ASSIGNMENT_DETAIL_QUERIES):
        response = client.get(reverse("assignment_detail", args=[nha_trang.pk]))

    page = text_of(response)
    assert page.count("Kết quả") == 0  # the list shows periods, not texts
    assert len(re.findall(r'href="/reports/\d+/"', response.content.decode())) == rows
    assert page.count("Không đồng ý") == rows
    assert all(f"Ý kiến {n}" in page for n in range(rows))


@pytest.mark.parametrize("rows", [2, 8])
def test_it_reads_the_assignment_history_in_a_fixed_number_of_queries(
    client, cast, nha_trang, rows, django_assert_num_queries
):
    _populate(nha_trang, rows, cast["reviewer"])
    supervision = Assignment.objects.get(
        item=nha_trang.item, body__code="uy-ban-mttq-tinh", role="supervise"
    )
    for n in range(rows):
        assignment_set_deadline(
            assignment=nha_trang,
            kind="fixed",
            deadline=date(2026, 12, 1) + timedelta(days=n),
            acting_user=cast["reviewer"],
            reason=f"Lần {n}",
        )
    client = as_user(client, cast["reviewer"])

    client.get(
        reverse("assignment_history", args=[nha_trang.pk])
    )  # warms the caches: the count is of the steady state
    with django_assert_num_queries(ASSIGNMENT_HISTORY_QUERIES):
        response = client.get(reverse("assignment_history", args=[nha_trang.pk]))
    client.get(
        reverse("assignment_history", args=[supervision.pk])
    )  # warms the caches: the count is of the steady state
    with django_assert_num_queries(ASSIGNMENT_HISTORY_QUERIES):
        supervision_response = client.get(reverse("assignment_history", args=[supervision.pk]))

    markup = response.content.decode()
    # The assignment's creation, its deadline changes and its extension requests.
    assert markup.count('class="panel timeline__entry') == 1 + rows + rows
    assert supervision_response.content.decode().count("timeline__entry--created") == 1 + rows


@pytest.mark.parametrize("rows", [2, 8])
def test_it_reads_the_report_history_in_a_fixed_number_of_queries(
    client, cast, nha_trang, period, rows, django_assert_num_queries
):
    officer = cast["officer"]
    report = draft_report(nha_trang, period, officer)
    for n in range(rows):
        report = report_update(
            report=report,
            data=ReportData(result=f"Bản sửa {n}", percent_complete=n),
            expected_version=report.version,
            acting_user=fresh(officer),
        )
        document_cite(
            report=report,
            number=f"{n + 1}-KH/TU",
            issued_on=date(2026, 3, 1),
            issuer="Thành ủy Nha Trang",
            title="",
            acting_user=fresh(officer),
        )
        attachment_add(
            report=report,
            upload=SimpleUploadedFile(f"tep-{n}.pdf", PDF),
            acting_user=fresh(officer),
        )
    client = as_user(client, cast["leader"])

    client.get(
        reverse("report_history", args=[report.pk])
    )  # warms the caches: the count is of the steady state
    with django_assert_num_queries(REPORT_HISTORY_QUERIES):
        response = client.get(reverse("report_history", args=[report.pk]))

    assert response.content.decode().count('class="panel timeline__entry') == 1 + 3 * rows


def test_it_renders_every_workflow_page_with_one_main_heading(client, cast, nha_trang, period):
    officer, leader, reviewer = cast["officer"], cast["leader"], cast["reviewer"]
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=reviewer,
        reason="Theo kế hoạch",
    )
    extension = extension_request(
        assignment=nha_trang,
        proposed_deadline=date(2027, 3, 31),
        reason="Chờ vốn",
        acting_user=fresh(leader),
    )
    report = draft_report(nha_trang, period, officer)
    report_submit(report=report, acting_user=fresh(leader))
    supervision = Assignment.objects.get(
        item=nha_trang.item, body__code="uy-ban-mttq-tinh", role="supervise"
    )
    Body.objects.create(
        code="dang-uy-phuong-loc-tho",
        name="Đảng ủy phường Lộc Thọ",
        kind=Body.Kind.AFFILIATED_COMMITTEE,
        parent=nha_trang.body,
    )
    pages = [
        (leader, "assignment_detail", nha_trang.pk),
        (leader, "assignment_history", nha_trang.pk),
        (reviewer, "assignment_deadline", nha_trang.pk),
        (reviewer, "extension_decide", extension.pk),
        (leader, "assignment_delegate", nha_trang.pk),
        (cast["supervisor"], "finding_create", supervision.pk),
        (leader, "report_create", nha_trang.pk),
        (leader, "report_detail", report.pk),
        (leader, "report_history", report.pk),
        (reviewer, "report_return", report.pk),
    ]
    for language in ("vi", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for user, name, pk in pages:
            response = as_user(client, user).get(reverse(name, args=[pk]))
            markup = response.content.decode()
            assert response.status_code == 200, name
            assert f'<html lang="{language}">' in markup, name
            assert len(re.findall(r"<h1[ >]", markup)) == 1, name

    # The pending request leaves no room for another; a returned report can be revised.
    extension_decide_service(
        request=extension, approve=False, note="Không", acting_user=fresh(reviewer)
    )
    report_return_service(report=report, reason="Bổ sung", acting_user=fresh(reviewer))
    for user, name, pk in [
        (leader, "extension_request_create", nha_trang.pk),
        (officer, "report_edit", report.pk),
    ]:
        response = as_user(client, user).get(reverse(name, args=[pk]))
        assert response.status_code == 200, name
        assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1, name


def test_delegated_parts_roll_up_into_the_assignment_and_tasks_into_their_status(client, reviewer):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Body, Role
    from accounts.services import membership_grant
    from conftest import make_member
    from tasks.services.assignments import assignment_delegate, assignment_set_deadline

    leader = make_member("leader")
    ubnd = Assignment.objects.get(
        item__key="III.3.b2", body__code="ban-can-su-dang-ubnd-tinh", role="lead"
    )
    membership_grant(
        user=leader,
        body=ubnd.body,
        role=Role.objects.get(code=Role.LEADER),
        acting_user=None,
        reason="test",
    )
    leader = type(leader).objects.get(pk=leader.pk)
    assignment_set_deadline(
        assignment=ubnd,
        kind="fixed",
        deadline=timezone.localdate() + timedelta(days=90),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )
    part = assignment_delegate(
        assignment=ubnd,
        body=Body.objects.get(code="so-cong-thuong"),
        note="Phần xúc tiến",
        acting_user=leader,
    )
    assignment_set_deadline(
        assignment=part,
        kind="fixed",
        deadline=timezone.localdate() - timedelta(days=3),
        acting_user=reviewer,
        reason="Rút ngắn",
    )
    client.force_login(reviewer)
    page = client.get(reverse("assignment_detail", args=[ubnd.pk])).content.decode()
    assert 'class="tag tag--status tag--in_progress"' in page
    assert "assignment-overall-status" in page
    overall = page.split("assignment-overall-status", 1)[1]
    assert "tag--overdue" in overall.split("</dd>", 1)[0]

    task_page = client.get(reverse("item_detail", args=["nq23", "III.3.b2"])).content.decode()
    assert "tag--overdue" in task_page.split("task-status", 1)[1].split("</p>", 1)[0]

    client.force_login(make_member("other_officer"))
    task_page = client.get(reverse("item_detail", args=["nq23", "III.3.b2"])).content.decode()
    assert "task-status" not in task_page


def test_a_completion_after_an_extension_is_judged_against_both_deadlines(
    client, reviewer, officer, leader
):
    from tasks.services.reports import (
        ReportData,
        document_cite,
        report_accept,
        report_create,
        report_submit,
    )

    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    today = timezone.localdate()
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=today - timedelta(days=10),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )
    request = extension_request(
        assignment=assignment,
        proposed_deadline=today + timedelta(days=10),
        reason="Chờ vốn",
        acting_user=leader,
    )
    extension_decide_service(request=request, approve=True, note="Đồng ý", acting_user=reviewer)
    report = report_create(
        assignment=assignment,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        data=ReportData(result="Xong.", percent_complete=100, claims_completion=True),
        acting_user=officer,
    )
    document_cite(
        report=report,
        number="9/BC-TU",
        issued_on=today,
        issuer="Thành ủy Nha Trang",
        title="",
        acting_user=officer,
    )
    report_submit(report=report, acting_user=leader)
    report_accept(report=report, acting_user=reviewer)

    client.force_login(reviewer)
    page = client.get(reverse("assignment_detail", args=[assignment.pk])).content.decode()
    assert "tag--completed_on_time" in page
    within = page.split("assignment-within-original", 1)[1].split("</dd>", 1)[0]
    assert "Không" in within
