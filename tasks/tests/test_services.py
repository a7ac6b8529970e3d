"""The tracking services: each workflow step, each refusal, and the history they leave."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import Body, Membership, Role
from accounts.services import membership_end, membership_grant, role_groups_sync, user_create
from tasks.models import Assignment, ProgressReport, ReportingPeriod, ReportState
from tasks.permissions import Action, assignment_policy, report_policy
from tasks.services.assignments import assignment_delegate, assignment_set_deadline
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.grants import assignment_grants_sync
from tasks.services.periods import period_close, period_open
from tasks.services.reports import (
    ReportData,
    StaleReport,
    attachment_add,
    document_cite,
    report_accept,
    report_create,
    report_return,
    report_submit,
    report_update,
)
from tasks.status import Status, assignment_status

# Messages are matched in English; Vietnamese is the default language.
pytestmark = pytest.mark.usefixtures("in_english")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class World:
    def __init__(self):
        role_groups_sync()
        assignment_grants_sync()
        self.period = ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")
        self.nha_trang = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
        )
        self.cam_ranh = Assignment.objects.get(
            item__key="III.1.b1.s3", body__code="thanh-uy-cam-ranh", role="implement_locally"
        )
        self.ubnd_lead = Assignment.objects.get(
            item__key="III.3.b2", body__code="ban-can-su-dang-ubnd-tinh", role="lead"
        )
        self.officer = self.member("cb.nt", "thanh-uy-nha-trang", Role.OFFICER)
        self.leader = self.member("ld.nt", "thanh-uy-nha-trang", Role.LEADER)
        self.other_officer = self.member("cb.cr", "thanh-uy-cam-ranh", Role.OFFICER)
        self.other_leader = self.member("ld.cr", "thanh-uy-cam-ranh", Role.LEADER)
        self.reviewer = self.member("cv.vp", "van-phong-tinh-uy", Role.REVIEWER)
        self.supervisor = self.member("gs.mttq", "uy-ban-mttq-tinh", Role.SUPERVISOR)
        self.standing = self.member("uv.btv", "ban-thuong-vu-tinh-uy", Role.STANDING_MEMBER)
        self.ubnd_leader = self.member("ld.ubnd", "ban-can-su-dang-ubnd-tinh", Role.LEADER)
        self.ubnd_officer = self.member("cb.ubnd", "ban-can-su-dang-ubnd-tinh", Role.OFFICER)
        self.dept_officer = self.member("cb.sct", "so-cong-thuong", Role.OFFICER)

    @staticmethod
    def member(username, body_code, role_code):
        user = user_create(
            username=username,
            full_name=username,
            password="Mat-khau-2026!",
            acting_user=None,
            reason="test",
        )
        membership_grant(
            user=user,
            body=Body.objects.get(code=body_code),
            role=Role.objects.get(code=role_code),
            acting_user=None,
            reason="test",
        )
        return fresh(user)

    def draft(self, **overrides):
        data = ReportData(result="Đã xây dựng kế hoạch.", percent_complete=40, **overrides)
        return report_create(
            assignment=self.nha_trang, period=self.period, data=data, acting_user=self.officer
        )


def fresh(user):
    """The same user without per-request caches, as the next request would see them."""
    from accounts.models import User

    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(reference_data, db):
    return World()


def test_a_report_goes_through_the_whole_cycle(world):
    report = world.draft()
    report_submit(report=report, acting_user=world.leader)
    report_return(report=report, reason="Thiếu số liệu lấp đầy.", acting_user=world.reviewer)
    report.refresh_from_db()
    assert (report.state, report.return_reason) == (ReportState.RETURNED, "Thiếu số liệu lấp đầy.")

    report_update(
        report=report,
        data=ReportData(result="Đã bổ sung số liệu: lấp đầy 55%.", percent_complete=60),
        expected_version=report.version,
        acting_user=fresh(world.officer),
    )
    report_submit(report=report, acting_user=fresh(world.leader))
    report_accept(report=report, acting_user=fresh(world.reviewer))

    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    assert report.result == "Đã bổ sung số liệu: lấp đầy 55%."
    steps = [
        (h.history_user.username, h.state, h.history_change_reason)
        for h in report.history.order_by("history_date", "history_id")
    ]
    assert [(user, state) for user, state, _reason in steps] == [
        ("cb.nt", "draft"),
        ("ld.nt", "submitted"),
        ("cv.vp", "returned"),
        ("cb.nt", "returned"),
        ("ld.nt", "submitted"),
        ("cv.vp", "accepted"),
    ]
    assert all(reason for _user, _state, reason in steps)
    assert "Thiếu số liệu" in steps[2][2]


def test_an_officer_cannot_submit_and_nobody_else_may_draft(world):
    report = world.draft()
    with pytest.raises(PermissionDenied):
        report_submit(report=report, acting_user=world.officer)
    data = ReportData(result="x", percent_complete=1)
    for outsider in (world.other_officer, world.reviewer, world.supervisor, world.standing):
        with pytest.raises(PermissionDenied):
            report_update(
                report=report, data=data, expected_version=report.version, acting_user=outsider
            )
    with pytest.raises(PermissionDenied):
        report_create(
            assignment=world.cam_ranh, period=world.period, data=data, acting_user=world.officer
        )
    report.refresh_from_db()
    assert (report.state, report.result, report.version) == ("draft", "Đã xây dựng kế hoạch.", 1)


def test_nobody_sees_another_bodys_draft(world):
    report = world.draft()
    for outsider in (world.other_officer, world.reviewer, world.supervisor, world.standing):
        assert not report_policy.user_has_permission_for_instance(outsider, Action.VIEW, report)
        assert report not in report_policy.instances_user_has_permission_for(outsider)
    assert report in report_policy.instances_user_has_permission_for(world.officer)

    report_submit(report=report, acting_user=world.leader)
    for reader in (world.reviewer, world.supervisor, world.standing):
        assert report in report_policy.instances_user_has_permission_for(fresh(reader))
    assert report not in report_policy.instances_user_has_permission_for(fresh(world.other_officer))


def test_acceptance_locks_the_report_and_a_closed_period_takes_nothing(world):
    report = world.draft()
    report_submit(report=report, acting_user=world.leader)
    report_accept(report=report, acting_user=world.reviewer)
    with pytest.raises(PermissionDenied):
        report_update(
            report=report,
            data=ReportData(result="sửa sau khi chấp nhận", percent_complete=50),
            expected_version=report.version,
            acting_user=fresh(world.officer),
        )

    period_close(period=world.period, acting_user=world.reviewer)
    with pytest.raises(ValidationError, match="not open"):
        report_create(
            assignment=world.nha_trang,
            period=world.period,
            data=ReportData(result="mới", percent_complete=1),
            acting_user=fresh(world.officer),
        )


def test_only_the_party_office_opens_and_closes_periods(world):
    planned = ReportingPeriod.objects.get(programme__code="nq23", code="2027-6t")
    with pytest.raises(PermissionDenied):
        period_open(period=planned, acting_user=world.leader)
    period_open(period=planned, acting_user=world.reviewer)
    planned.refresh_from_db()
    assert planned.state == "open"
    assert planned.history.first().history_user == world.reviewer
    with pytest.raises(ValidationError):
        period_open(period=planned, acting_user=world.reviewer)


def test_a_completed_task_needs_evidence_and_completes_the_assignment(world):
    assignment_set_deadline(
        assignment=world.nha_trang,
        kind="fixed",
        deadline=timezone.localdate() + timedelta(days=30),
        acting_user=world.reviewer,
        reason="Theo Kế hoạch số 12/KH-UBND",
    )
    report = world.draft(claims_completion=False)
    report_update(
        report=report,
        data=ReportData(result="Hoàn thành.", percent_complete=100, claims_completion=True),
        expected_version=1,
        acting_user=world.officer,
    )
    with pytest.raises(ValidationError, match="evidence"):
        report_submit(report=report, acting_user=world.leader)

    document_cite(
        report=report,
        number="123/BC-TU",
        issued_on=date(2026, 11, 1),
        issuer="Thành ủy Nha Trang",
        title="Báo cáo kết quả",
        acting_user=world.officer,
    )
    report_submit(report=report, acting_user=world.leader)
    report_accept(report=report, acting_user=world.reviewer)

    world.nha_trang.refresh_from_db()
    assert world.nha_trang.completed_on == timezone.localdate()
    status = assignment_status(world.nha_trang, today=timezone.localdate())
    assert status == Status.COMPLETED_ON_TIME


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ReportData(result="x", percent_complete=120), "percent_complete"),
        (ReportData(result="x", percent_complete=50, claims_completion=True), "percent_complete"),
        (ReportData(result="", percent_complete=10), "result"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(world, data, field):
    with pytest.raises(ValidationError) as raised:
        report_create(
            assignment=world.nha_trang, period=world.period, data=data, acting_user=world.officer
        )
    assert field in raised.value.message_dict
    assert not ProgressReport.objects.exists()


def test_a_malformed_document_number_is_refused(world):
    report = world.draft()
    with pytest.raises(ValidationError) as raised:
        document_cite(
            report=report,
            number="không có số",
            issued_on=date(2026, 1, 1),
            issuer="UBND",
            title="",
            acting_user=world.officer,
        )
    assert "number" in raised.value.message_dict
    assert not report.documents.exists()


def test_the_second_of_two_concurrent_saves_is_refused_and_names_the_change(world):
    report = world.draft()
    opened_version = report.version
    report_update(
        report=report,
        data=ReportData(result="Bản của cán bộ thứ nhất.", percent_complete=40),
        expected_version=opened_version,
        acting_user=world.officer,
    )
    with pytest.raises(StaleReport) as raised:
        report_update(
            report=report,
            data=ReportData(result="Bản của lãnh đạo.", percent_complete=45),
            expected_version=opened_version,
            acting_user=world.leader,
        )
    assert "cb.nt" in raised.value.messages[0]
    report.refresh_from_db()
    assert report.result == "Bản của cán bộ thứ nhất."


def test_an_extension_moves_the_deadline_and_keeps_the_original(world):
    original = timezone.localdate() + timedelta(days=3)
    assignment_set_deadline(
        assignment=world.nha_trang,
        kind="fixed",
        deadline=original,
        acting_user=world.reviewer,
        reason="Giao thời hạn",
    )
    with pytest.raises(PermissionDenied):
        extension_request(
            assignment=world.nha_trang,
            proposed_deadline=original + timedelta(days=30),
            reason="Chờ quy hoạch",
            acting_user=world.officer,
        )
    request = extension_request(
        assignment=world.nha_trang,
        proposed_deadline=original + timedelta(days=30),
        reason="Chờ phê duyệt quy hoạch",
        acting_user=world.leader,
    )
    with pytest.raises(ValidationError):
        extension_decide(request=request, approve=False, note="", acting_user=world.reviewer)
    extension_decide(request=request, approve=True, note="Đồng ý", acting_user=world.reviewer)

    world.nha_trang.refresh_from_db()
    assert world.nha_trang.deadline == original
    assert world.nha_trang.extended_deadline == original + timedelta(days=30)
    assert world.nha_trang.history.first().history_change_reason


def test_a_delegated_part_is_reported_by_the_department_and_seen_by_the_delegator(world):
    department = Body.objects.get(code="so-cong-thuong")
    with pytest.raises(PermissionDenied):
        assignment_delegate(
            assignment=world.ubnd_lead, body=department, note="", acting_user=world.ubnd_officer
        )
    part = assignment_delegate(
        assignment=world.ubnd_lead,
        body=department,
        note="Phần xúc tiến",
        acting_user=world.ubnd_leader,
    )
    draft = report_create(
        assignment=part,
        period=world.period,
        data=ReportData(result="Đã tổ chức hội nghị xúc tiến.", percent_complete=30),
        acting_user=fresh(world.dept_officer),
    )
    ubnd_officer = fresh(world.ubnd_officer)
    assert assignment_policy.user_has_permission_for_instance(ubnd_officer, Action.VIEW, part)
    assert not report_policy.user_has_permission_for_instance(ubnd_officer, Action.VIEW, draft)
    with pytest.raises(ValidationError):
        assignment_delegate(
            assignment=world.nha_trang,
            body=department,
            note="",
            acting_user=fresh(world.leader),
        )


def test_attachments_are_checked_by_content_size_and_name(world, tmp_path):
    report = world.draft()
    with override_settings(ATTACHMENTS_ROOT=tmp_path):
        ok = attachment_add(
            report=report,
            upload=SimpleUploadedFile("../../etc/Báo cáo.pdf", PDF),
            acting_user=world.officer,
        )
        assert ok.original_name == "Báo cáo.pdf"
        assert ".." not in ok.file.name and ok.file.name.endswith(".pdf")
        for name, content, message in [
            ("gia.pdf", b"just text, not a pdf", "content"),
            ("rong.pdf", b"", "empty"),
            ("anh.png", PDF, ".png"),
        ]:
            with pytest.raises(ValidationError, match=message):
                attachment_add(
                    report=report,
                    upload=SimpleUploadedFile(name, content),
                    acting_user=world.officer,
                )
        with override_settings(ATTACHMENT_MAX_BYTES=10), pytest.raises(ValidationError):
            attachment_add(
                report=report, upload=SimpleUploadedFile("lon.pdf", PDF), acting_user=world.officer
            )
        with pytest.raises(PermissionDenied):
            attachment_add(
                report=report,
                upload=SimpleUploadedFile("x.pdf", PDF),
                acting_user=world.other_officer,
            )
    assert report.attachments.count() == 1


def test_ending_a_membership_takes_the_grants_away_at_once(world):
    report = world.draft()
    membership = Membership.objects.get(user=world.officer)
    membership.valid_from = date(2025, 1, 1)
    membership.save()
    membership_end(membership=membership, acting_user=world.reviewer, reason="Chuyển công tác")
    with pytest.raises(PermissionDenied):
        report_update(
            report=report,
            data=ReportData(result="y", percent_complete=5),
            expected_version=report.version,
            acting_user=fresh(world.officer),
        )


def test_a_membership_that_ran_out_by_date_loses_its_grants_at_the_next_sync(world):
    from django.core.management import call_command

    report = world.draft()
    membership = Membership.objects.get(user=world.officer)
    membership.valid_from = date(2025, 1, 1)
    membership.valid_to = timezone.localdate() - timedelta(days=1)
    membership.save()
    assert report_policy.user_has_permission_for_instance(fresh(world.officer), "view", report)

    call_command("sync_permissions", verbosity=0)

    assert not report_policy.user_has_permission_for_instance(fresh(world.officer), "view", report)
