"""The report pages: each role sees, asks for and downloads only what the policy allows; a
refusal is a 403 or a 404 and is logged; a download is an attachment and is logged; the list
costs the same queries however many reports there are; bad input is a 400 with its reason."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Body, SecurityEvent
from conftest import page_text
from programme.models import Programme
from reports.models import GeneratedReport, GeneratedReportState
from tasks.models import ReportingPeriod

pytestmark = [pytest.mark.django_db, pytest.mark.database]

PDF = b"%PDF-1.4\n% bao cao\n"
XLSX = b"PK\x03\x04 workbook"


def kept(kind: str, body: str | None = None, *, state=GeneratedReportState.DONE):
    report = GeneratedReport.objects.create(
        kind=kind,
        programme=Programme.objects.get(code="nq23"),
        period=ReportingPeriod.objects.get(code="2026-nam"),
        body=Body.objects.get(code=body) if body else None,
        data_as_of=timezone.now(),
        state=state if state != GeneratedReportState.DONE else GeneratedReportState.RUNNING,
    )
    if state == GeneratedReportState.DONE:
        report.state = state
        report.pdf.save(f"test-{report.pk}.pdf", ContentFile(PDF), save=False)
        report.xlsx.save(f"test-{report.pk}.xlsx", ContentFile(XLSX), save=False)
        report.sha256 = hashlib.sha256(PDF).hexdigest()
        report.xlsx_sha256 = hashlib.sha256(XLSX).hexdigest()
        report.page_count = 1
        report.finished_at = timezone.now()
        report.save()
    return report


@pytest.fixture
def reports(cast):
    return {
        "standing_committee": kept("standing_committee"),
        "oversight_front": kept("oversight", "uy-ban-mttq-tinh"),
        "oversight_council": kept("oversight", "dang-doan-hdnd-tinh"),
        "body_nha_trang": kept("body", "thanh-uy-nha-trang"),
        "body_cam_ranh": kept("body", "thanh-uy-cam-ranh"),
    }


# Which of the reports above each role may read.
READS = {
    "officer": {"body_nha_trang"},
    "leader": {"body_nha_trang"},
    "other_officer": {"body_cam_ranh"},
    "supervisor": {"oversight_front"},
    "reviewer": {
        "standing_committee",
        "oversight_front",
        "oversight_council",
        "body_nha_trang",
        "body_cam_ranh",
    },
    "standing_member": {
        "standing_committee",
        "oversight_front",
        "oversight_council",
        "body_nha_trang",
        "body_cam_ranh",
    },
    "administrator": {"standing_committee"},
}


def listed(response) -> set[int]:
    import re

    return {int(pk) for pk in re.findall(r'data-report="(\d+)"', response.content.decode())}


@pytest.mark.parametrize("role", sorted(READS))
def test_each_role_lists_reads_and_downloads_only_what_it_may(client, cast, reports, role):
    client.force_login(cast[role])
    allowed = {reports[name].pk for name in READS[role]}

    assert listed(client.get(reverse("generated_report_list"))) == allowed
    for report in reports.values():
        detail = client.get(reverse("generated_report_detail", args=[report.pk]))
        download = client.get(reverse("generated_report_pdf", args=[report.pk]))
        expected = 200 if report.pk in allowed else 404
        assert (detail.status_code, download.status_code) == (expected, expected), report.kind


def test_a_download_is_an_attachment_and_is_logged(client, cast, reports):
    client.force_login(cast["standing_member"])
    report = reports["standing_committee"]

    pdf = client.get(reverse("generated_report_pdf", args=[report.pk]))
    xlsx = client.get(reverse("generated_report_xlsx", args=[report.pk]))

    assert b"".join(pdf.streaming_content) == PDF
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx["Content-Disposition"].startswith("attachment;")
    events = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.DOWNLOAD, user=cast["standing_member"]
    )
    assert events.count() == 2
    assert report.sha256 in events.last().detail


def test_a_refusal_is_logged(client, cast, reports):
    client.force_login(cast["officer"])
    url = reverse("generated_report_pdf", args=[reports["standing_committee"].pk])

    assert client.get(url).status_code == 404
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.REFUSED, user=cast["officer"], path=url
    ).exists()


def test_a_report_not_built_yet_reloads_its_page_and_offers_no_file(client, cast):
    report = kept("standing_committee", state=GeneratedReportState.QUEUED)
    client.force_login(cast["reviewer"])

    page = client.get(reverse("generated_report_detail", args=[report.pk]))

    assert page["Refresh"] == "5"
    assert reverse("generated_report_pdf", args=[report.pk]) not in page.content.decode()
    assert client.get(reverse("generated_report_pdf", args=[report.pk])).status_code == 404


def test_a_built_report_does_not_reload(client, cast, reports):
    client.force_login(cast["reviewer"])

    page = client.get(reverse("generated_report_detail", args=[reports["standing_committee"].pk]))

    assert "Refresh" not in page
    assert reverse("generated_report_pdf", args=[reports["standing_committee"].pk]) in (
        page.content.decode()
    )


def test_the_list_costs_the_same_queries_however_many_reports(
    client, cast, django_assert_num_queries
):
    client.force_login(cast["reviewer"])
    kept("standing_committee")
    client.get(reverse("generated_report_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("generated_report_list"))
    for _ in range(12):
        kept("body", "thanh-uy-nha-trang")
        kept("oversight", "uy-ban-mttq-tinh")

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("generated_report_list"))
    assert len(listed(response)) == 25
    assert len(few.captured_queries) <= 8


def _ask(client, **data):
    return client.post(reverse("generated_report_create"), data)


def test_the_party_office_asks_for_the_standing_committee_report(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast["reviewer"])
    period = ReportingPeriod.objects.get(code="2026-nam")

    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(
            client,
            kind="standing_committee",
            programme=Programme.objects.get(code="nq23").pk,
            period=period.pk,
        )

    report = GeneratedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("generated_report_detail", args=[report.pk])
    assert (report.kind, report.period, report.requested_by) == (
        "standing_committee",
        period,
        cast["reviewer"],
    )
    assert report.state == GeneratedReportState.QUEUED
    export = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert (export.user, export.method) == (cast["reviewer"], "POST")
    assert f"#{report.pk} (standing_committee)" in export.detail


@pytest.mark.parametrize(
    ("role", "data", "status"),
    [
        ("reviewer", {"kind": "nonsense"}, 400),
        ("reviewer", {"kind": "standing_committee"}, 400),  # neither period nor date
        (
            "reviewer",
            {"kind": "standing_committee", "period": "PERIOD", "as_of_date": "2026-06-30"},
            400,
        ),
        ("reviewer", {"kind": "standing_committee", "as_of_date": "30/02/2026"}, 400),
        ("reviewer", {"kind": "standing_committee", "as_of_date": "2099-01-01"}, 400),
        ("reviewer", {"kind": "standing_committee", "period": "999999"}, 400),
        ("reviewer", {"kind": "body", "period": "PERIOD"}, 400),  # no body
        ("standing_member", {"kind": "oversight", "period": "PERIOD", "body": "FRONT"}, 400),
        ("officer", {"kind": "standing_committee", "period": "PERIOD"}, 400),
        ("officer", {"kind": "body", "period": "PERIOD", "body": "CAM_RANH"}, 400),
        ("supervisor", {"kind": "body", "period": "PERIOD", "body": "FRONT"}, 400),
    ],
)
def test_it_refuses_bad_input_with_its_reason(client, cast, role, data, status):
    client.force_login(cast[role])
    values = {
        "PERIOD": str(ReportingPeriod.objects.get(code="2026-nam").pk),
        "FRONT": str(Body.objects.get(code="uy-ban-mttq-tinh").pk),
        "CAM_RANH": str(Body.objects.get(code="thanh-uy-cam-ranh").pk),
    }
    data = {key: values.get(value, value) for key, value in data.items()}
    data.setdefault("programme", Programme.objects.get(code="nq23").pk)

    response = _ask(client, **data)

    assert response.status_code == status
    assert 'class="field__errors"' in response.content.decode() or (
        'class="form-errors error-summary"' in response.content.decode()
    )
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "reviewer"])
def test_a_supervisor_or_the_party_office_asks_for_an_oversight_report(
    client, cast, django_capture_on_commit_callbacks, role
):
    client.force_login(cast[role])
    front = Body.objects.get(code="uy-ban-mttq-tinh")

    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(
            client,
            kind="oversight",
            programme=Programme.objects.get(code="nq23").pk,
            as_of_date=timezone.localdate().isoformat(),
            body=front.pk,
        )

    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert (report.kind, report.body, report.as_of_date) == (
        "oversight",
        front,
        timezone.localdate(),
    )


def test_the_form_offers_each_role_only_the_kinds_it_may_ask_for(client, cast):
    offered = {}
    for role in ("officer", "supervisor", "reviewer", "standing_member", "administrator"):
        client.force_login(cast[role])
        markup = client.get(reverse("generated_report_create")).content.decode()
        offered[role] = {
            kind
            for kind in ("standing_committee", "upward", "oversight", "body")
            if f'value="{kind}"' in markup
        }

    assert offered == {
        "officer": {"body"},
        "supervisor": {"oversight"},
        "reviewer": {"standing_committee", "upward", "oversight", "body"},
        "standing_member": {"upward", "body"},
        "administrator": {"standing_committee"},
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Chọn kỳ báo cáo hoặc một ngày."),
        (
            {"period": "PERIOD", "as_of_date": "2026-06-30"},
            "Chọn kỳ báo cáo hoặc một ngày, không chọn cả hai.",
        ),
    ],
)
def test_neither_and_both_each_get_their_own_message(client, cast, data, message):
    client.force_login(cast["reviewer"])
    period = str(ReportingPeriod.objects.get(code="2026-nam").pk)
    data = {key: period if value == "PERIOD" else value for key, value in data.items()}

    response = _ask(
        client,
        kind="standing_committee",
        programme=Programme.objects.get(code="nq23").pk,
        **data,
    )

    assert response.status_code == 400
    assert message in page_text(response)
    other = {"Chọn kỳ báo cáo hoặc một ngày.", "Chọn kỳ báo cáo hoặc một ngày, không chọn cả hai."}
    (other,) = other - {message}
    assert other not in page_text(response)


def test_the_form_starts_on_the_open_period_and_a_supervisors_own_body(client, cast):
    period = ReportingPeriod.objects.get(code="2026-nam")
    period.state = ReportingPeriod.State.OPEN
    period.save()
    client.force_login(cast["supervisor"])

    markup = client.get(reverse("generated_report_create")).content.decode()

    front = Body.objects.get(code="uy-ban-mttq-tinh")
    assert re.search(rf'<option value="{period.pk}" selected>', markup)
    assert re.search(rf'<option value="{front.pk}" selected>', markup)
    assert re.search(r'<option value="oversight" selected>', markup)


def test_the_form_says_before_building_who_signs_and_when_nobody_holds_the_post(client, cast):
    client.force_login(cast["reviewer"])

    signers = page_text(client.get(reverse("generated_report_create"))).split("Lập báo cáo")[0]

    # Nobody in the Office is on record (no public source names its chief).
    assert "không ai giữ chức CHÁNH VĂN PHÒNG" in signers.replace("Không", "không")
    assert "Nghiêm Xuân Thành, BÍ THƯ" in signers


def test_a_download_is_named_for_what_it_is(client, cast, reports):
    client.force_login(cast["supervisor"])
    report = reports["oversight_front"]

    pdf = client.get(reverse("generated_report_pdf", args=[report.pk]))

    day = timezone.localdate(report.requested_at).isoformat()
    assert f'filename="bao-cao-giam-sat-uy-ban-mttq-{day}.pdf"' in pdf["Content-Disposition"]
