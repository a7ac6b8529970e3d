"""Timelines built from history: entries newest first, each changed field with its old and
new value as people read them, in a fixed number of queries."""

from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.services import role_groups_sync
from tasks.models import Assignment, ExtensionRequest, ProgressReport, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.findings import finding_record
from tasks.services.grants import assignment_grants_sync
from tasks.services.reports import (
    ReportData,
    attachment_add,
    attachment_remove,
    document_cite,
    document_remove,
    report_create,
    report_return,
    report_submit,
    report_update,
)
from tasks.timeline import (
    EMPTY,
    EntryKind,
    assignment_timeline,
    display_value,
    report_timeline,
)

pytestmark = pytest.mark.database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def english_labels():
    with translation.override("en"):
        yield


@pytest.fixture
def world(cast):
    # The cast's fixture syncs grants already; syncing again is harmless and keeps this module
    # independent of how conftest sets members up.
    role_groups_sync()
    assignment_grants_sync()
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    period = ReportingPeriod.objects.get(code="2026-nam")
    return assignment, period, {key: type(u).objects.get(pk=u.pk) for key, u in cast.items()}


def changes_of(entry) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in entry.changes}


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_it_renders_values_for_people(vietnamese):
    state = ProgressReport._meta.get_field("state")
    claims = ProgressReport._meta.get_field("claims_completion")
    deadline = Assignment._meta.get_field("deadline")
    submitted_at = ProgressReport._meta.get_field("submitted_at")
    result = ProgressReport._meta.get_field("result")

    assert display_value(state, "returned") == str(ProgressReport.State.RETURNED.label)
    assert display_value(claims, True) == "Có"
    assert display_value(claims, False) == "Không"
    assert display_value(deadline, date(2026, 2, 5)) == "05/02/2026"
    # Stored in UTC, read in Asia/Ho_Chi_Minh (UTC+7).
    utc = datetime(2026, 2, 5, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert display_value(submitted_at, utc) == "06/02/2026 03:30"
    assert display_value(deadline, None) == EMPTY
    assert display_value(result, "") == EMPTY


def test_it_lists_a_reports_changes_newest_first_field_by_field(world, english_labels):
    assignment, period, cast = world
    officer, leader, reviewer = cast["officer"], cast["leader"], cast["reviewer"]
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Bản đầu", percent_complete=30),
        acting_user=officer,
    )
    report = report_update(
        report=report,
        data=ReportData(result="Bản hai", percent_complete=60, difficulties="Thiếu vốn"),
        expected_version=1,
        acting_user=fresh(officer),
    )
    report_submit(report=report, acting_user=fresh(leader))
    report_return(report=report, reason="Bổ sung số liệu", acting_user=fresh(reviewer))

    entries = report_timeline(report=report)

    assert [entry.reason for entry in entries] == [
        "Returned: Bổ sung số liệu",
        "Submitted",
        "Draft revised",
        "Draft created",
    ]
    assert [entry.user for entry in entries] == [
        "Phạm Thị Hoa",
        "Lê Văn Hùng",
        "Nguyễn Thị Lan",
        "Nguyễn Thị Lan",
    ]
    returned, submitted, revised, created = entries
    assert returned.kind == EntryKind.CHANGED
    assert changes_of(returned)["State"] == ("Submitted", "Returned")
    assert changes_of(returned)["Reason for return"] == (EMPTY, "Bổ sung số liệu")
    assert changes_of(returned)["Reviewed by"] == (EMPTY, "Phạm Thị Hoa")
    assert changes_of(submitted)["State"] == ("Draft", "Submitted")
    assert changes_of(revised) == {
        "Result achieved": ("Bản đầu", "Bản hai"),
        "Percent complete": ("30", "60"),
        "Difficulties": (EMPTY, "Thiếu vốn"),
    }
    assert created.kind == EntryKind.CREATED
    assert changes_of(created)["Result achieved"] == (EMPTY, "Bản đầu")
    assert changes_of(created)["Reporting period"] == (EMPTY, "Tổng kết năm 2026")
    assert changes_of(created)["The task is completed"] == (EMPTY, "No")
    assert "Version" not in changes_of(revised)
    assert "Assignment" not in changes_of(created)
    assert all(a.at >= b.at for a, b in pairwise(entries))


def test_it_includes_removed_evidence_on_the_report_timeline(world, english_labels):
    assignment, period, cast = world
    officer = cast["officer"]
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Có căn cứ", percent_complete=10),
        acting_user=officer,
    )
    document = document_cite(
        report=report,
        number="12-KH/TU",
        issued_on=date(2026, 3, 1),
        issuer="Thành ủy Nha Trang",
        title="Kế hoạch thực hiện",
        acting_user=fresh(officer),
    )
    attachment = attachment_add(
        report=report, upload=SimpleUploadedFile("bang-so-lieu.pdf", PDF), acting_user=officer
    )
    document_remove(document=document, acting_user=fresh(officer))
    attachment_remove(attachment=attachment, acting_user=fresh(officer))

    entries = report_timeline(report=report)

    file_removed, document_removed, file_added, document_added, _created = entries
    assert (file_removed.kind, file_removed.subject, file_removed.detail) == (
        EntryKind.DELETED,
        "Attachment",
        "bang-so-lieu.pdf",
    )
    assert file_removed.reason == "File removed"
    assert (document_removed.kind, document_removed.detail) == (
        EntryKind.DELETED,
        "12-KH/TU (01/03/2026)",
    )
    assert document_removed.subject == "Cited document"
    assert changes_of(document_added) == {
        "Document number": (EMPTY, "12-KH/TU"),
        "Issued on": (EMPTY, "01/03/2026"),
        "Issued by": (EMPTY, "Thành ủy Nha Trang"),
        "Title": (EMPTY, "Kế hoạch thực hiện"),
    }
    added = changes_of(file_added)
    assert added["File name"] == (EMPTY, "bang-so-lieu.pdf")
    assert added["Uploaded by"] == (EMPTY, "Nguyễn Thị Lan")
    assert "File" not in added and "SHA-256" not in added


def test_it_lists_an_assignments_deadline_extension_and_finding_changes(world, english_labels):
    assignment, _period, cast = world
    reviewer, leader = cast["reviewer"], cast["leader"]
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=reviewer,
        reason="Theo Kế hoạch 12",
    )
    request = extension_request(
        assignment=assignment,
        proposed_deadline=date(2027, 3, 31),
        reason="Chờ mặt bằng",
        acting_user=leader,
    )
    extension_decide(request=request, approve=True, note="", acting_user=fresh(reviewer))
    supervision = Assignment.objects.get(
        item=assignment.item, body__code="uy-ban-mttq-tinh", role="supervise"
    )
    finding_record(
        supervision=supervision,
        period=None,
        text="Tiến độ chậm",
        recommendation="",
        acting_user=cast["supervisor"],
    )

    entries = assignment_timeline(assignment=assignment)

    extended, approved, requested, deadline_set, *older = entries
    assert extended.subject == "Assignment"
    assert changes_of(extended) == {"Extended deadline": (EMPTY, "31/03/2027")}
    assert extended.reason == "Extension approved"
    assert approved.subject == "Extension request"
    assert approved.detail == "31/12/2026 → 31/03/2027"
    assert changes_of(approved)["State"] == ("Pending", "Approved")
    assert changes_of(approved)["Decided by"] == (EMPTY, "Phạm Thị Hoa")
    assert requested.kind == EntryKind.CREATED
    assert changes_of(requested)["Reason"] == (EMPTY, "Chờ mặt bằng")
    assert changes_of(deadline_set) == {
        "Deadline kind": ("Recurring duty", "Fixed deadline"),
        "Deadline": (EMPTY, "31/12/2026"),
    }
    assert deadline_set.user == "Phạm Thị Hoa"
    assert older[-1].kind == EntryKind.CREATED
    assert changes_of(older[-1])["Body"] == (EMPTY, "Thành ủy Nha Trang")
    # A finding is on the supervision's own timeline, not the implementing body's.
    assert all(entry.subject != "Supervision finding" for entry in entries)
    finding_entries = [
        entry
        for entry in assignment_timeline(assignment=supervision)
        if entry.subject == "Supervision finding"
    ]
    assert [changes_of(e)["Finding"] for e in finding_entries] == [(EMPTY, "Tiến độ chậm")]


@pytest.mark.parametrize("rows", [2, 8])
def test_it_builds_a_timeline_in_three_queries(world, rows, django_assert_num_queries):
    assignment, _period, cast = world
    reviewer, leader = cast["reviewer"], cast["leader"]
    for n in range(rows):
        assignment_set_deadline(
            assignment=assignment,
            kind="fixed",
            deadline=date(2026, 12, 1) + timedelta(days=n),
            acting_user=fresh(reviewer),
            reason=f"Lần {n}",
        )
        request = extension_request(
            assignment=assignment,
            proposed_deadline=date(2027, 6, 1),
            reason=f"Lý do {n}",
            acting_user=fresh(leader),
        )
        extension_decide(request=request, approve=False, note="Không", acting_user=reviewer)
    assert ExtensionRequest.objects.filter(assignment=assignment).count() == rows

    with django_assert_num_queries(3):
        entries = assignment_timeline(assignment=assignment)

    assert len(entries) == 1 + rows + 2 * rows
