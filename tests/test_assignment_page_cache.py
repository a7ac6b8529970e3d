"""The assignment's page is served from the cache (tasks/views/assignment_page.py): every write a
reader would see shows on the very next request, readers who answer the policy differently
never share what is cached, the page is the same cold and warm, and a warm page stays within
its budget of queries whatever the number of rows."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Body, Role
from accounts.services import membership_grant
from discussion.services import message_post
from tasks.models import Assignment, ExtensionRequest, ProgressReport, ReportingPeriod, ReportState
from tasks.services.assignments import assignment_delegate, assignment_set_deadline
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.periods import period_close
from tasks.services.reports import (
    ReportData,
    report_accept,
    report_create,
    report_return,
    report_submit,
)
from versions.data import data_changed

pytestmark = pytest.mark.database

BUDGET = 12  # tests/test_query_budget.py
PROVINCE = ZoneInfo("Asia/Ho_Chi_Minh")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def nha_trang(reference_data, db) -> Assignment:
    return Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )


@pytest.fixture
def period(reference_data, db) -> ReportingPeriod:
    return ReportingPeriod.objects.get(code="2026-nam")


def reader(user) -> Client:
    """A browser of the user's, reading in English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def page_of(client: Client, assignment: Assignment) -> str:
    response = client.get(reverse("assignment_detail", args=[assignment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def report_states(page: str) -> list[str]:
    """The states of the report rows the page lists."""
    return re.findall(r'<span class="tag tag--report tag--(\w+)">', page)


def draft(assignment, period, user) -> ProgressReport:
    return report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Đã ban hành kế hoạch.", percent_complete=40),
        acting_user=user,
    )


def fresh(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.get(pk=report.pk)


def test_a_report_s_every_step_shows_on_the_next_request_and_a_draft_only_to_the_body(
    cast, nha_trang, period
):
    officer, leader, reviewer = (
        reader(cast["officer"]),
        reader(cast["leader"]),
        reader(cast["reviewer"]),
    )
    supervisor = reader(cast["supervisor"])
    readers = (officer, leader, reviewer, supervisor)
    for client in readers:  # each reader's page cached before the first write
        assert report_states(page_of(client, nha_trang)) == []
    assert "Write the report for Tổng kết năm 2026" in page_of(officer, nha_trang)

    report = draft(nha_trang, period, cast["officer"])
    # The body's members see their draft; the Party Office and a supervisor do not, although
    # the page was just cached again for the body.
    assert report_states(page_of(officer, nha_trang)) == ["draft"]
    assert report_states(page_of(leader, nha_trang)) == ["draft"]
    assert "Write the report for Tổng kết năm 2026" not in page_of(officer, nha_trang)
    assert report_states(page_of(reviewer, nha_trang)) == []
    assert report_states(page_of(supervisor, nha_trang)) == []
    assert f'href="/reports/{report.pk}/"' not in page_of(reviewer, nha_trang)

    report_submit(report=fresh(report), acting_user=cast["leader"])
    for client in readers:
        assert report_states(page_of(client, nha_trang)) == ["submitted"]

    report_return(report=fresh(report), reason="Thiếu số liệu.", acting_user=cast["reviewer"])
    for client in readers:
        assert report_states(page_of(client, nha_trang)) == ["returned"]

    report_submit(report=fresh(report), acting_user=cast["leader"])
    report_accept(report=fresh(report), acting_user=cast["reviewer"])
    for client in readers:
        assert report_states(page_of(client, nha_trang)) == ["accepted"]


def test_a_closed_period_takes_its_offer_away_on_the_next_request(cast, nha_trang, period):
    officer = reader(cast["officer"])
    assert "Write the report for Tổng kết năm 2026" in page_of(officer, nha_trang)

    period_close(period=period, acting_user=cast["reviewer"])

    assert "Write the report for Tổng kết năm 2026" not in page_of(officer, nha_trang)


def test_a_message_shows_in_the_count_on_the_next_request_and_one_about_a_draft_only_to_the_body(
    cast, nha_trang, period
):
    officer, reviewer = reader(cast["officer"]), reader(cast["reviewer"])
    assert "0 messages: read and reply" in page_of(officer, nha_trang)
    assert "0 messages: read and reply" in page_of(reviewer, nha_trang)

    message_post(assignment=nha_trang, text="Đề nghị báo cáo sớm.", acting_user=cast["reviewer"])
    assert "1 message: read and reply" in page_of(officer, nha_trang)
    assert "1 message: read and reply" in page_of(reviewer, nha_trang)

    report = draft(nha_trang, period, cast["officer"])
    message_post(
        assignment=nha_trang, report=report, text="Xem lại số liệu.", acting_user=cast["leader"]
    )
    assert "2 messages: read and reply" in page_of(officer, nha_trang)
    assert "1 message: read and reply" in page_of(reviewer, nha_trang)


def test_a_deadline_and_an_extension_show_on_the_next_request_with_the_decision_only_to_the_office(
    cast, nha_trang
):
    officer, leader, reviewer = (
        reader(cast["officer"]),
        reader(cast["leader"]),
        reader(cast["reviewer"]),
    )
    deadline = timezone.localdate() + timedelta(days=60)
    for client in (officer, leader, reviewer):
        assert "assignment-deadline" not in page_of(client, nha_trang)

    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=deadline,
        acting_user=cast["reviewer"],
        reason="Ấn định thời hạn.",
    )
    for client in (officer, leader, reviewer):
        assert f'<dd class="assignment-deadline">{deadline:%d/%m/%Y}</dd>' in page_of(
            client, nha_trang
        )
    assert "Request an extension" in page_of(leader, nha_trang)

    proposed = deadline + timedelta(days=30)
    request = extension_request(
        assignment=Assignment.objects.get(pk=nha_trang.pk),
        proposed_deadline=proposed,
        reason="Chờ kinh phí.",
        acting_user=cast["leader"],
    )
    decide = reverse("extension_decide", args=[request.pk])
    assert "Chờ kinh phí." in page_of(officer, nha_trang)
    assert "Request an extension" not in page_of(leader, nha_trang)
    assert decide in page_of(reviewer, nha_trang)
    assert decide not in page_of(officer, nha_trang)
    assert decide not in page_of(leader, nha_trang)

    extension_decide(request=request, approve=True, note="", acting_user=cast["reviewer"])
    for client in (officer, reviewer):
        page = page_of(client, nha_trang)
        assert decide not in page
        assert f'<dd class="assignment-extended-deadline">{proposed:%d/%m/%Y}</dd>' in page
    assert ExtensionRequest.objects.get(pk=request.pk).state == ExtensionRequest.State.APPROVED


def test_the_delegating_body_sees_its_part_as_a_link_and_the_part_s_body_the_other_way(
    cast, nha_trang
):
    ward = Body.objects.create(
        code="dang-uy-phuong-loc-tho",
        name="Đảng ủy phường Lộc Thọ",
        kind=Body.Kind.AFFILIATED_COMMITTEE,
        parent=nha_trang.body,
    )
    ward_officer = type(cast["officer"]).objects.create_user("canbo.loctho", full_name="Cán bộ")
    membership_grant(
        user=ward_officer,
        body=ward,
        role=Role.objects.get(code=Role.OFFICER),
        acting_user=None,
        reason="test",
    )
    officer, ward_reader = reader(cast["officer"]), reader(ward_officer)
    assert "Delegated parts" not in page_of(officer, nha_trang)

    part = assignment_delegate(
        assignment=nha_trang, body=ward, note="Cụm Lộc Thọ", acting_user=cast["leader"]
    )

    part_link = f'href="/assignments/{part.pk}/"'
    parent_link = f'href="/assignments/{nha_trang.pk}/"'
    assert part_link in page_of(officer, nha_trang)
    assert "Cụm Lộc Thọ" in page_of(officer, nha_trang)
    assert parent_link in page_of(officer, part)
    # The same cached facts, another answer: the ward may not open Nha Trang's assignment.
    ward_page = page_of(ward_reader, part)
    assert "Delegated from" in ward_page
    assert parent_link not in ward_page
    assert reader(cast["other_officer"]).get(
        reverse("assignment_detail", args=[part.pk])
    ).status_code in (403, 404)


def test_the_status_moves_with_the_day_without_a_write(cast, nha_trang, time_machine):
    deadline = date(2026, 12, 31)
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=deadline,
        acting_user=cast["reviewer"],
        reason="Ấn định thời hạn.",
    )
    # Ten minutes either side of midnight, in the province's time: no write in between.
    time_machine.move_to(datetime(2026, 12, 31, 23, 55, tzinfo=PROVINCE), tick=False)
    officer = reader(cast["officer"])
    assert "tag--overdue" not in page_of(officer, nha_trang)

    time_machine.move_to(datetime(2027, 1, 1, 0, 5, tzinfo=PROVINCE), tick=False)

    assert "tag--overdue" in page_of(officer, nha_trang)


@pytest.mark.parametrize("role", ["officer", "reviewer"])
def test_the_page_is_the_same_cold_and_warm(cast, nha_trang, period, role):
    draft(nha_trang, period, cast["officer"])
    message_post(assignment=nha_trang, text="Đề nghị báo cáo sớm.", acting_user=cast["reviewer"])
    client = reader(cast[role])

    data_changed()
    cold = page_of(client, nha_trang)
    warm = page_of(client, nha_trang)

    assert CSRF_TOKEN.search(cold)
    assert CSRF_TOKEN.sub("", warm) == CSRF_TOKEN.sub("", cold)


def _accepted_reports(assignment: Assignment, rows: int, reviewer) -> None:
    now = timezone.now()
    for closed in ReportingPeriod.objects.filter(
        programme=assignment.item.programme, state=ReportingPeriod.State.CLOSED
    ).exclude(reports__assignment=assignment)[:rows]:
        ProgressReport.objects.create(
            assignment=assignment,
            period=closed,
            state=ReportState.ACCEPTED,
            result="Kết quả.",
            percent_complete=50,
            drafted_by=reviewer,
            submitted_by=reviewer,
            submitted_at=now,
            reviewed_by=reviewer,
            reviewed_at=now,
        )


def test_a_warm_page_stays_within_the_budget_whatever_the_rows(
    cast, nha_trang, django_assert_max_num_queries
):
    client = reader(cast["officer"])
    url = reverse("assignment_detail", args=[nha_trang.pk])

    def counts() -> tuple[int, int]:
        """The queries of the page cold (after a write) and warm, the reader's own caches
        (access, bell) filled."""
        client.get(url)
        data_changed()
        with django_assert_max_num_queries(BUDGET) as cold:
            client.get(url)
        with django_assert_max_num_queries(BUDGET) as warm:
            response = client.get(url)
        assert response.status_code == 200
        return len(cold.captured_queries), len(warm.captured_queries)

    _accepted_reports(nha_trang, 1, cast["reviewer"])
    cold_few, warm_few = counts()
    _accepted_reports(nha_trang, 4, cast["reviewer"])
    cold_many, warm_many = counts()

    assert (cold_many, warm_many) == (cold_few, warm_few)
    assert warm_few < cold_few
