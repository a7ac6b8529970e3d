"""An agency's own system at work through the API, as issue #23 asks: with only a token it
finds an assignment, drafts a report, attaches a file and submits it, and the Party Office sees
it in its queue just as from the web. Around that: the version check, errors in the caller's
language, read-only and revoked tokens, the throttle, and sessions with CSRF."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Body, SecurityEvent
from api.models import ApiToken
from api.services import api_token_revoke
from tasks.models import ProgressReport, ReportingPeriod

from .support import PDF, body_of, token_client, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(reference_data):
    return ReportingPeriod.objects.get(code="2026-nam")


def nha_trang_assignment(api, period) -> dict:
    """Find, through the API alone, an assignment of one's body owing a report not yet sent."""
    bodies = body_of(api.get(reverse("api:body-list")))["results"]
    body = next(b for b in bodies if b["code"] == "thanh-uy-nha-trang")
    listed = api.get(
        reverse("api:assignment-list"),
        {"body": body["id"], "period": period.pk, "report": "not_submitted"},
    )
    assert listed.status_code == 200
    return body_of(listed)["results"][0]


def test_an_agency_system_drafts_attaches_and_submits_and_the_party_office_sees_it(
    cast, period, client, settings, tmp_path
):
    settings.ATTACHMENTS_ROOT = tmp_path
    api = token_client(token_for(cast["leader"], name="iOffice Thành ủy Nha Trang"))

    assignment = nha_trang_assignment(api, period)
    assert any(
        row["period"] == period.pk and row["reporting_status"] in ("not_due", "due_soon", "overdue")
        for row in assignment["reporting"]
    )
    drafted = api.post(
        reverse("api:report-list"),
        {
            "assignment": assignment["id"],
            "period": period.pk,
            "result": "Đã ban hành Kế hoạch số 12/KH-TU triển khai Chương trình hành động.",
            "percent_complete": 60,
        },
        content_type="application/json",
    )
    assert drafted.status_code == 201, body_of(drafted)
    report = body_of(drafted)
    attached = api.post(
        reverse("api:report-attachments", kwargs={"pk": report["id"]}),
        {"file": SimpleUploadedFile("ke-hoach-12.pdf", PDF)},
    )
    submitted = api.post(reverse("api:report-submit", kwargs={"pk": report["id"]}))

    assert attached.status_code == 201
    assert [a["original_name"] for a in body_of(attached)["attachments"]] == ["ke-hoach-12.pdf"]
    assert submitted.status_code == 200
    assert body_of(submitted)["state"] == "submitted"
    # Through the services: the same history as from the web, with who and why (the request
    # was in Vietnamese, the default language, as the reasons are kept).
    saved = ProgressReport.objects.get(pk=report["id"])
    history = saved.history.order_by("history_id")
    assert [(h.history_change_reason, h.history_user) for h in history] == [
        ("Tạo dự thảo", cast["leader"]),
        ("Đã gửi", cast["leader"]),
    ]
    # The Party Office sees it waiting, on the web, as any submitted report.
    client.force_login(cast["reviewer"])
    waiting = client.get(
        reverse("assignment_list"), {"period": period.pk, "report": "submitted"}
    ).content.decode()
    assert reverse("assignment_detail", kwargs={"pk": assignment["id"]}) in waiting
    assert reverse("report_detail", kwargs={"pk": report["id"]}) in client.get("/").content.decode()
    # Each write is in the security log, with the token that made it.
    writes = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.API_WRITE, user=cast["leader"])
    assert writes.count() == 3
    assert all("iOffice Thành ủy Nha Trang" in w.detail for w in writes)


def _draft(api, period) -> dict:
    assignment = nha_trang_assignment(api, period)
    answer = api.post(
        reverse("api:report-list"),
        {
            "assignment": assignment["id"],
            "period": period.pk,
            "result": "Bản đầu.",
            "percent_complete": 10,
        },
        content_type="application/json",
    )
    assert answer.status_code == 201
    return body_of(answer)


def test_a_stale_version_is_refused_with_a_409_and_nothing_is_saved(cast, period, in_english):
    officer = token_client(token_for(cast["officer"]), language="en")
    leader = token_client(token_for(cast["leader"]), language="en")
    report = _draft(officer, period)
    url = reverse("api:report-detail", kwargs={"pk": report["id"]})

    first = leader.patch(
        url,
        {"version": report["version"], "result": "Bản của lãnh đạo."},
        content_type="application/json",
    )
    second = officer.patch(
        url,
        {"version": report["version"], "result": "Bản của cán bộ."},
        content_type="application/json",
    )

    assert first.status_code == 200
    assert body_of(first)["version"] == report["version"] + 1
    assert second.status_code == 409
    assert body_of(second)["code"] == "stale"
    assert "Lê Văn Hùng saved this report" in body_of(second)["detail"]
    assert ProgressReport.objects.get(pk=report["id"]).result == "Bản của lãnh đạo."


def test_bad_input_is_a_400_field_by_field_in_the_callers_language(cast, period):
    body = {"assignment": "x", "period": period.pk, "percent_complete": 150, "result": ""}
    vi = token_client(token_for(cast["officer"]), language="vi")
    en = token_client(token_for(cast["officer"]), language="en")

    in_vietnamese = vi.post(reverse("api:report-list"), body, content_type="application/json")
    in_english = en.post(reverse("api:report-list"), body, content_type="application/json")

    assert in_vietnamese.status_code == in_english.status_code == 400
    assert set(body_of(in_english)) == {"assignment", "percent_complete", "result"}
    assert body_of(in_english)["result"] == ["This field may not be blank."]
    assert body_of(in_english)["percent_complete"] == [
        "Ensure this value is less than or equal to 100."
    ]
    assert body_of(in_vietnamese)["result"] == ["Trường này không được bỏ trống."]
    assert body_of(in_vietnamese)["percent_complete"] == ["Giá trị phải nhỏ hơn hoặc bằng 100."]


def test_a_workflow_refusal_comes_back_by_field(cast, period, in_english):
    api = token_client(token_for(cast["leader"]), language="en")
    report = _draft(api, period)
    claims = api.patch(
        reverse("api:report-detail", kwargs={"pk": report["id"]}),
        {"version": report["version"], "claims_completion": True},
        content_type="application/json",
    )

    assert claims.status_code == 400
    assert body_of(claims) == {"percent_complete": ["A completed task is reported at 100 percent."]}


def test_a_read_only_token_reads_but_may_not_write(cast, period):
    api = token_client(token_for(cast["leader"], read_only=True), language="en")

    assert api.get(reverse("api:assignment-list")).status_code == 200
    refused = api.post(
        reverse("api:report-list"),
        {"assignment": 1, "period": period.pk, "result": "x", "percent_complete": 1},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert body_of(refused)["detail"] == "This token is read-only."
    assert not ProgressReport.objects.exists()


def test_a_revoked_or_made_up_token_is_refused(cast):
    token = token_for(cast["officer"])
    api_token_revoke(token=ApiToken.objects.get(), acting_user=cast["officer"])

    revoked = token_client(token).get(reverse("api:assignment-list"))
    made_up = token_client("nq23_" + "A" * 43).get(reverse("api:assignment-list"))

    assert revoked.status_code == made_up.status_code == 401
    assert revoked["WWW-Authenticate"] == "Bearer"


def test_only_a_hash_of_the_token_is_kept(cast):
    token = token_for(cast["officer"])
    row = ApiToken.objects.get()

    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiToken.objects.values_list()))
    assert token.startswith(row.prefix) and len(row.prefix) < 12


def test_too_many_requests_get_a_429_that_says_when_to_retry(cast, settings, in_english):
    settings.API_THROTTLE_RATE = "3/minute"
    first, second = (token_client(token_for(cast["officer"]), language="en") for _ in range(2))

    answers = [first.get(reverse("api:period-list")).status_code for _ in range(4)]
    other_token = second.get(reverse("api:period-list"))
    throttled = first.get(reverse("api:period-list"))

    assert answers == [200, 200, 200, 429]
    assert other_token.status_code == 200, "each token has its own allowance"
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert body_of(throttled)["detail"].startswith("Too many requests. Try again in")


def test_a_session_works_with_csrf_and_without_it_is_refused(cast, period):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast["officer"])
    browser.get(reverse("api:tokens"))  # sets the CSRF cookie, as any page does
    assignment = nha_trang_assignment(browser, period)
    body = {
        "assignment": assignment["id"],
        "period": period.pk,
        "result": "Qua trình duyệt.",
        "percent_complete": 5,
    }

    without = browser.post(reverse("api:report-list"), body, content_type="application/json")
    with_csrf = browser.post(
        reverse("api:report-list"),
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )

    assert without.status_code == 403
    assert "CSRF" in body_of(without)["detail"]
    assert with_csrf.status_code == 201
    assert (
        "via session"
        in SecurityEvent.objects.filter(kind=SecurityEvent.Kind.API_WRITE).first().detail
    )


def test_an_unknown_assignment_and_another_bodys_are_alike(cast, period):
    """Cam Ranh's officer cannot tell Nha Trang's assignment from one that does not exist."""
    nha_trang = Body.objects.get(code="thanh-uy-nha-trang")
    theirs = nha_trang.assignments.reporting().first()
    api = token_client(token_for(cast["other_officer"]), language="en")

    def refused(pk):
        answer = api.post(
            reverse("api:report-list"),
            {"assignment": pk, "period": period.pk, "result": "x", "percent_complete": 1},
            content_type="application/json",
        )
        return answer.status_code, body_of(answer)["assignment"][0].replace(str(pk), "N")

    assert refused(theirs.pk) == refused(10**9)
