"""Insecure direct object references: an officer and a leader of Cam Ranh try Nha Trang's
assignment, report and attachment by changing ids in URLs and in form fields. Each try is
refused and nothing changes."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_member
from tasks.models import Assignment, CitedDocument, ProgressReport, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.reports import ReportData, attachment_add, document_cite, report_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def scene(reference_data, settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path
    officer, leader = make_member("officer"), make_member("leader")
    intruder = make_member("other_officer")
    reviewer = make_member("reviewer")
    from accounts.models import Body, Role
    from accounts.services import membership_grant

    membership_grant(
        user=intruder,
        body=Body.objects.get(code="thanh-uy-cam-ranh"),
        role=Role.objects.get(code=Role.LEADER),
        acting_user=None,
        reason="test",
    )
    period = ReportingPeriod.objects.get(code="2026-nam")
    nha_trang = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    cam_ranh = Assignment.objects.get(
        item__key="III.1.b1.s3", body__code="thanh-uy-cam-ranh", role="implement_locally"
    )
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=timezone.localdate() + timedelta(days=30),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )
    draft = report_create(
        assignment=nha_trang,
        period=period,
        data=ReportData(result="Dự thảo của Nha Trang.", percent_complete=20),
        acting_user=officer,
    )
    document = document_cite(
        report=draft,
        number="7/KH-TU",
        issued_on=timezone.localdate(),
        issuer="Thành ủy Nha Trang",
        title="",
        acting_user=officer,
    )
    attachment = attachment_add(
        report=draft, upload=SimpleUploadedFile("kh.pdf", PDF), acting_user=officer
    )
    own = report_create(
        assignment=cam_ranh,
        period=period,
        data=ReportData(result="Báo cáo của Cam Ranh.", percent_complete=30),
        acting_user=intruder,
    )
    return locals()


def state(scene) -> tuple:
    draft = ProgressReport.objects.get(pk=scene["draft"].pk)
    nha_trang = Assignment.objects.get(pk=scene["nha_trang"].pk)
    return (
        draft.state,
        draft.result,
        draft.version,
        list(draft.documents.values_list("number", flat=True)),
        list(draft.attachments.values_list("pk", flat=True)),
        nha_trang.deadline,
        nha_trang.extended_deadline,
        nha_trang.delegations.count(),
        nha_trang.extension_requests.count(),
        ProgressReport.objects.filter(assignment=nha_trang).count(),
    )


def test_ids_changed_in_urls_are_refused_and_change_nothing(client, scene):
    client.force_login(scene["intruder"])
    before = state(scene)
    draft, nha_trang = scene["draft"].pk, scene["nha_trang"].pk
    edit = {"result": "Chiếm quyền", "percent_complete": 90, "version": 1}
    tries = [
        ("get", reverse("assignment_detail", args=[nha_trang]), {}),
        ("get", reverse("assignment_history", args=[nha_trang]), {}),
        ("get", reverse("report_detail", args=[draft]), {}),
        ("get", reverse("report_history", args=[draft]), {}),
        ("get", reverse("report_edit", args=[draft]), {}),
        ("post", reverse("report_edit", args=[draft]), edit),
        ("post", reverse("report_submit", args=[draft]), {}),
        (
            "post",
            reverse("report_create", args=[nha_trang]),
            {"period": scene["period"].pk, **edit},
        ),
        ("post", reverse("document_create", args=[draft]), {"number": "1/BC", "issuer": "x"}),
        ("post", reverse("document_delete", args=[scene["document"].pk]), {}),
        (
            "post",
            reverse("attachment_create", args=[draft]),
            {"file": SimpleUploadedFile("a.pdf", PDF)},
        ),
        ("get", reverse("attachment_download", args=[scene["attachment"].pk]), {}),
        ("post", reverse("attachment_delete", args=[scene["attachment"].pk]), {}),
        ("post", reverse("extension_request_create", args=[nha_trang]), {"reason": "x"}),
        ("post", reverse("assignment_delegate", args=[nha_trang]), {"note": "x"}),
    ]
    for method, url, data in tries:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        assert "Dự thảo của Nha Trang" not in response.content.decode()
    assert state(scene) == before


def test_ids_changed_in_form_fields_are_refused_and_change_nothing(client, scene):
    """Forms name objects only through choices built from what the user may act on."""
    client.force_login(scene["intruder"])
    before = state(scene)
    own = scene["own"]
    # Citing a document on one's own report cannot reach another report.
    response = client.post(
        reverse("document_create", args=[own.pk]),
        {
            "number": "1/BC-TU",
            "issued_on": "2026-01-05",
            "issuer": "x",
            "report": scene["draft"].pk,
        },
    )
    assert response.status_code in (302, 400)
    assert not CitedDocument.objects.filter(report=scene["draft"], number="1/BC-TU").exists()
    # Delegating one's own task to another district's committee is not among the choices.
    response = client.post(
        reverse("assignment_delegate", args=[scene["cam_ranh"].pk]),
        {"body": scene["nha_trang"].body_id, "note": "x"},
    )
    assert response.status_code == 400
    # A report on one's own assignment cannot be filed for a period of another choice list.
    response = client.post(
        reverse("report_create", args=[scene["cam_ranh"].pk]),
        {"period": 999999, "result": "x", "percent_complete": 1},
    )
    assert response.status_code == 400
    assert state(scene) == before
    assert ProgressReport.objects.filter(assignment=scene["cam_ranh"]).count() == 1


def test_the_intruder_sees_nothing_of_the_draft_in_lists_or_search(client, scene):
    client.force_login(scene["intruder"])
    for url in (
        reverse("home"),
        reverse("assignment_list"),
        reverse("period_detail", args=[scene["period"].pk]),
        reverse("search") + "?q=Nha+Trang",
    ):
        page = client.get(url).content.decode()
        assert "Dự thảo của Nha Trang" not in page, url
        assert reverse("report_detail", args=[scene["draft"].pk]) not in page, url
