"""A world for the report tests, built once per module through the services: deadlines passed
and to come, a completion accepted with its evidence, a submitted report with difficulties and
proposals, a report whose text tries to make the renderer fetch things, and the Fatherland
Front's finding; and the three kinds of report built from it."""

import re
import unicodedata
from datetime import date, timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import Body
from conftest import CAST, make_member
from indicators.tests.conftest import accepted, world  # noqa: F401  (test_reports_targets)
from reports.models import GeneratedReport
from reports.services import generated_report_build, generated_report_record
from tasks.models import Assignment, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.findings import finding_record
from tasks.services.reports import (
    ReportData,
    attachment_add,
    document_cite,
    report_accept,
    report_create,
    report_submit,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOSTILE = (
    '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/hostname"> '
    "xem https://example.com/anh.png"
)


def nha_trang(key: str, role: str = "implement_locally") -> Assignment:
    return Assignment.objects.get(item__key=key, body__code="thanh-uy-nha-trang", role=role)


def make_member_of(role: str, body: str):
    """A made-up member of another body, through the services, for steps its own people take."""
    from accounts.models import Role, User
    from accounts.services import membership_grant

    user = User.objects.create_user(f"{role}.{body}", password=None, full_name="Người thử nghiệm")
    membership_grant(
        user=user,
        body=Body.objects.get(code=body),
        role=Role.objects.get(code=role),
        acting_user=None,
        reason="test",
    )
    return User.objects.get(pk=user.pk)


def build(kind: str, **parameters) -> GeneratedReport:
    from programme.models import Programme

    report = generated_report_record(
        kind=kind, programme=Programme.objects.get(code="nq23"), **parameters
    )
    return generated_report_build(report_id=report.pk)


def pdf_text(report: GeneratedReport) -> list[str]:
    """The text of each page, NFC."""
    with report.pdf.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def report_world(reference_data, django_db_blocker):
    with django_db_blocker.unblock(), translation.override("vi"):
        # Three more tasks for Nha Trang, before the cast's grants are made from the data.
        from programme.models import Item

        basis = Item.objects.get(programme__code="nq23", key="IV.4")
        for key in ("III.2.b1", "III.4.b1", "III.5.b1"):
            Assignment.objects.create(
                item=Item.objects.get(programme__code="nq23", key=key),
                body=Body.objects.get(code="thanh-uy-nha-trang"),
                role=Assignment.Role.IMPLEMENT_LOCALLY,
                basis=basis,
            )
        users = {key: make_member(key) for key in CAST}
        reviewer, officer, leader = users["reviewer"], users["officer"], users["leader"]
        today = timezone.localdate()
        period = ReportingPeriod.objects.get(code="2026-nam")

        def deadline(assignment, days):
            return assignment_set_deadline(
                assignment=assignment,
                kind="fixed",
                deadline=today + timedelta(days=days),
                acting_user=reviewer,
                reason="Giao thời hạn",
            )

        late = deadline(
            Assignment.objects.get(
                item__key="III.1.b1.s3", body__code="thanh-uy-cam-ranh", role="implement_locally"
            ),
            -20,
        )
        soon = deadline(nha_trang("III.1.b1.s2"), 5)
        done = deadline(nha_trang("III.10.b1"), 60)
        quoted = nha_trang("III.2.b1")
        # An extension, for a deadline printed with the one it replaced.
        extended = deadline(
            Assignment.objects.get(
                item__key="III.1.b1.s3", body__code="huyen-uy-cam-lam", role="implement_locally"
            ),
            10,
        )
        extension_decide(
            request=extension_request(
                assignment=extended,
                proposed_deadline=today + timedelta(days=130),
                reason="Chờ bố trí vốn",
                acting_user=make_member_of("leader", "huyen-uy-cam-lam"),
            ),
            approve=True,
            note="",
            acting_user=reviewer,
        )

        completion = report_create(
            assignment=done,
            period=period,
            data=ReportData(
                result="Đã hoàn thành việc quán triệt Nghị quyết tới 100% chi bộ.",
                percent_complete=100,
                claims_completion=True,
            ),
            acting_user=officer,
        )
        document_cite(
            report=completion,
            number="45/KH-TU",
            issued_on=date(2026, 3, 2),
            issuer="Thành ủy Nha Trang",
            title="Kế hoạch quán triệt",
            acting_user=officer,
        )
        attachment_add(
            report=completion,
            upload=SimpleUploadedFile("bien-ban.pdf", PDF),
            acting_user=officer,
        )
        report_submit(report=completion, acting_user=leader)
        report_accept(report=completion, acting_user=reviewer)

        submitted = report_create(
            assignment=soon,
            period=period,
            data=ReportData(
                result="Đang rà soát quỹ đất cụm công nghiệp.",
                percent_complete=40,
                difficulties="Thiếu vốn đầu tư hạ tầng cụm công nghiệp.",
                proposals="Đề nghị tỉnh bố trí vốn hỗ trợ giải phóng mặt bằng.",
            ),
            acting_user=officer,
        )
        report_submit(report=submitted, acting_user=leader)

        hostile = report_create(
            assignment=quoted,
            period=period,
            data=ReportData(result=f"Đã triển khai; {HOSTILE}", percent_complete=30),
            acting_user=officer,
        )
        report_submit(report=hostile, acting_user=leader)
        report_accept(report=hostile, acting_user=reviewer)

        # A result written in two paragraphs, accepted: the break must survive in the PDF.
        paragraphs = report_create(
            assignment=nha_trang("III.5.b1"),
            period=period,
            data=ReportData(
                result="Đoạn thứ nhất: đã rà soát quy hoạch.\nĐoạn thứ hai: đã trình Tỉnh ủy.",
                percent_complete=50,
            ),
            acting_user=officer,
        )
        report_submit(report=paragraphs, acting_user=leader)
        report_accept(report=paragraphs, acting_user=reviewer)

        draft = report_create(
            assignment=nha_trang("III.4.b1"),
            period=period,
            data=ReportData(result="Bản nháp nội bộ chưa gửi.", percent_complete=10),
            acting_user=officer,
        )

        supervision = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="uy-ban-mttq-tinh", role="supervise"
        )
        finding = finding_record(
            supervision=supervision,
            period=period,
            text="Tiến độ giải phóng mặt bằng còn chậm.",
            recommendation="Đề nghị Thành ủy Nha Trang đẩy nhanh tiến độ.",
            acting_user=users["supervisor"],
        )
        mttq = Body.objects.get(code="uy-ban-mttq-tinh")
        nt = Body.objects.get(code="thanh-uy-nha-trang")
        reports = SimpleNamespace(
            standing_committee=build("standing_committee", period=period),
            oversight=build("oversight", period=period, body=mttq),
            body=build("body", period=period, body=nt),
        )
        extended = Assignment.objects.get(pk=extended.pk)
    return SimpleNamespace(
        users=users,
        today=today,
        period=period,
        late=late,
        soon=soon,
        extended=extended,
        paragraphs=paragraphs,
        done=done,
        quoted=quoted,
        completion=completion,
        submitted=submitted,
        hostile=hostile,
        draft=draft,
        supervision=supervision,
        finding=finding,
        mttq=mttq,
        nha_trang=nt,
        reports=reports,
    )
