"""Every page renders, in Vietnamese and in English, for a user allowed to see it: one main
heading, the page's language, and in Vietnamese no English UI label left untranslated.

The pages run over one shared world built through the services (deadlines, a submitted, a
returned, an accepted and a draft report, evidence, a pending extension, a delegation, a
supervision finding), each request in its own savepoint. A URL pattern added without an entry
here fails test_the_smoke_test_knows_every_page.
"""

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from accounts.models import Body
from conftest import CAST, make_member, page_text
from discussion.services import message_post
from notifications.models import Reminder
from notifications.services import reminders_sweep
from programme.models import Item
from reorganisation.tests.support import recorded_act
from tasks.models import Assignment, ReportingPeriod
from tasks.services.assignments import assignment_delegate, assignment_set_deadline
from tasks.services.extensions import extension_request
from tasks.services.findings import finding_record
from tasks.services.periods import period_open
from tasks.services.reports import (
    ReportData,
    attachment_add,
    document_cite,
    report_accept,
    report_create,
    report_return,
    report_submit,
)
from tests.indicators_support import indicator_world
from tests.reports_support import kept_report

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LANGUAGES = ["vi", "en"]
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(reference_data, django_db_blocker):
    """Thành ủy Nha Trang's two assignments and what hangs under them, the Fatherland Front's
    supervision of the first, an overdue assignment elsewhere; 2026-nam and 2027-6t open."""
    # Built in Vietnamese, the default language: history reasons are stored as written.
    with django_db_blocker.unblock(), translation.override("vi"):
        users = {key: make_member(key) for key in CAST}
        reviewer, officer, leader = users["reviewer"], users["officer"], users["leader"]
        today = timezone.localdate()
        period = ReportingPeriod.objects.get(code="2026-nam")
        # Members since the period began, so its due-date reminders reach them whatever today is.
        for user in users.values():
            user.memberships.update(valid_from=period.starts_on)
        second = period_open(
            period=ReportingPeriod.objects.get(code="2027-6t"), acting_user=reviewer
        )
        planned = ReportingPeriod.objects.get(code="2027-nam")
        a = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
        )
        a2 = Assignment.objects.get(
            item__key="III.10.b1", body__code="thanh-uy-nha-trang", role="implement_locally"
        )
        supervision = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="uy-ban-mttq-tinh", role="supervise"
        )
        late = Assignment.objects.filter(
            body__code="thanh-uy-cam-ranh", role="implement_locally"
        ).first()
        a, a2, late = (
            assignment_set_deadline(
                assignment=assignment,
                kind="fixed",
                deadline=today + timedelta(days=days),
                acting_user=reviewer,
                reason="Giao thời hạn",
            )
            for assignment, days in ((a, 5), (a2, 60), (late, -20))
        )

        ward = Body.objects.create(
            code="dang-uy-phuong-loc-tho",
            name="Đảng ủy phường Lộc Thọ",
            short_name="Phường Lộc Thọ",
            kind=Body.Kind.AFFILIATED_COMMITTEE,
            parent=a.body,
            position=950,
        )
        delegated = assignment_delegate(
            assignment=a,
            body=ward,
            note="Rà soát quỹ đất cụm công nghiệp trên địa bàn phường.",
            acting_user=leader,
        )

        submitted = report_create(
            assignment=a,
            period=period,
            data=ReportData(result="Đã lập quy hoạch cụm công nghiệp.", percent_complete=50),
            acting_user=officer,
        )
        submitted_attachment = attachment_add(
            report=submitted,
            upload=SimpleUploadedFile("ke-hoach.pdf", PDF),
            acting_user=officer,
        )
        report_submit(report=submitted, acting_user=leader)

        returned = report_create(
            assignment=a,
            period=second,
            data=ReportData(result="Đang triển khai.", percent_complete=60),
            acting_user=officer,
        )
        report_submit(report=returned, acting_user=leader)
        report_return(report=returned, reason="Bổ sung số liệu vốn đầu tư.", acting_user=reviewer)

        draft = report_create(
            assignment=a2,
            period=period,
            data=ReportData(
                result="Dự thảo chưa gửi.",
                percent_complete=10,
                difficulties="Thiếu mặt bằng sạch.",
                proposals="Đề nghị tỉnh hỗ trợ vốn.",
            ),
            acting_user=officer,
        )
        document = document_cite(
            report=draft,
            number="12/KH-TU",
            issued_on=date(2026, 3, 1),
            issuer="Thành ủy Nha Trang",
            title="Kế hoạch thực hiện",
            acting_user=officer,
        )
        draft_attachment = attachment_add(
            report=draft,
            upload=SimpleUploadedFile("du-thao.pdf", PDF),
            acting_user=officer,
        )

        accepted = report_create(
            assignment=a2,
            period=second,
            data=ReportData(result="Hoàn thành kế hoạch 6 tháng.", percent_complete=40),
            acting_user=officer,
        )
        report_submit(report=accepted, acting_user=leader)
        report_accept(report=accepted, acting_user=reviewer)

        extension = extension_request(
            assignment=a2,
            proposed_deadline=today + timedelta(days=120),
            reason="Chờ quy hoạch tỉnh",
            acting_user=leader,
        )
        finding = finding_record(
            supervision=supervision,
            period=period,
            text="Tiến độ chậm.",
            recommendation="Đẩy nhanh giải phóng mặt bằng.",
            acting_user=users["supervisor"],
        )
        message = message_post(
            assignment=a,
            text="Đã nhận ý kiến giám sát, đang bổ sung.",
            finding=finding if a.item_id == supervision.item_id else None,
            upload=SimpleUploadedFile("bien-ban.pdf", PDF),
            acting_user=officer,
        )
        message_file = message.attachments.get()
        # The reminders of the day 2026-nam's reports are due: some for the officer.
        due = timezone.make_aware(datetime.combine(period.due_on, time(8)))
        reminders_sweep(now=due)
        reminder = Reminder.objects.filter(recipient=officer).order_by("pk").first()
        standing_committee_report = kept_report("standing_committee")
        oversight_report = kept_report("oversight", "uy-ban-mttq-tinh")
        queued_report = kept_report("body", "thanh-uy-nha-trang")
        type(queued_report).objects.filter(pk=queued_report.pk).update(
            state="queued", pdf="", xlsx="", sha256="", finished_at=None
        )
        indicators = indicator_world(users)
    return SimpleNamespace(
        **vars(indicators),
        standing_committee_report=standing_committee_report,
        oversight_report=oversight_report,
        queued_report=queued_report,
        reminder=reminder,
        users=users,
        period=period,
        second=second,
        planned=planned,
        a=a,
        a2=a2,
        late=late,
        supervision=supervision,
        delegated=delegated,
        submitted=submitted,
        submitted_attachment=submitted_attachment,
        returned=returned,
        draft=draft,
        document=document,
        draft_attachment=draft_attachment,
        accepted=accepted,
        extension=extension,
        finding=finding,
        message=message,
        message_file=message_file,
    )


class Visit(NamedTuple):
    """Who opens the page, the URL's arguments and the query string, from the world."""

    role: str
    kwargs: Callable[[SimpleNamespace], dict] | None = None
    query: Callable[[SimpleNamespace], dict] | None = None


def pk(name: str) -> Callable[[SimpleNamespace], dict]:
    return lambda w: {"pk": getattr(w, name).pk}


# Every page that answers GET, by URL name, with the visits that draw its branches.
PAGES = {
    "login": [Visit("anonymous")],
    "password_change": [Visit("officer")],
    "password_change_done": [Visit("officer")],
    "lockout_list": [Visit("administrator")],
    "security_event_list": [
        Visit("administrator"),
        Visit("administrator", query=lambda w: {"kind": "signed_in", "sort": "username"}),
    ],
    "body_list": [Visit("officer")],
    "body_detail": [
        Visit("officer", lambda w: {"code": "thanh-uy-nha-trang"}),
        Visit("officer", lambda w: {"code": "dang-uy-phuong-loc-tho"}),
    ],
    "programme_list": [Visit("officer")],
    "reorganisation_list": [Visit("reviewer")],
    "reorganisation_detail": [Visit("reviewer", lambda w: {"pk": recorded_act().pk})],
    "programme_detail": [Visit("officer", lambda w: {"code": "nq23"})],
    "item_detail": [
        Visit("officer", lambda w: {"code": "nq23", "key": "III.1.b1.s2"}),
        Visit("officer", lambda w: {"code": "nq23", "key": "II.2.b1"}),
    ],
    "search": [
        Visit("officer"),
        Visit("officer", query=lambda w: {"q": "công nghiệp"}),
        Visit("officer", query=lambda w: {"q": "khong co tu nay"}),
    ],
    "home": [Visit("officer"), Visit("leader"), Visit("reviewer"), Visit("supervisor")],
    "compliance_overview": [
        Visit("reviewer"),
        Visit("standing_member", query=lambda w: {"period": w.second.pk}),
    ],
    "supervision_overview": [Visit("supervisor")],
    "assignment_list": [
        Visit("officer"),
        Visit("reviewer", query=lambda w: {"period": w.period.pk, "page": 2}),
        Visit("reviewer", query=lambda w: {"report": "sent", "sort": "status"}),
        Visit("leader", query=lambda w: {"period": w.second.pk, "sort": "deadline"}),
    ],
    "progress_report_list": [
        Visit("officer"),
        Visit("supervisor"),
        Visit("reviewer", query=lambda w: {"period": w.period.pk, "sort": "-sent", "per_page": 25}),
        Visit("standing_member", query=lambda w: {"timing": "late", "state": "accepted"}),
    ],
    "period_list": [Visit("officer"), Visit("reviewer")],
    "period_detail": [
        Visit("reviewer", pk("period")),
        Visit("officer", pk("second")),
        Visit("reviewer", pk("planned")),
    ],
    "assignment_detail": [
        Visit("officer", pk("a")),
        Visit("leader", pk("a2")),
        Visit("reviewer", pk("a2")),
        Visit("reviewer", pk("late")),
        Visit("supervisor", pk("supervision")),
        Visit("leader", pk("delegated")),
    ],
    "assignment_history": [Visit("officer", pk("a")), Visit("reviewer", pk("a2"))],
    "assignment_deadline": [Visit("reviewer", pk("a"))],
    # Bulk steps: the step's form, then its confirmation page.
    "assignment_bulk_deadline": [
        Visit("reviewer", query=lambda w: {"ids": [w.a.pk, w.late.pk]}),
        Visit(
            "reviewer",
            query=lambda w: {
                "ids": [w.a.pk, w.late.pk],
                "kind": "fixed",
                "deadline": "2027-06-30",
                "reason": "Theo kết luận",
            },
        ),
    ],
    "assignment_bulk_period": [
        Visit("reviewer", query=lambda w: {"ids": [w.a.pk, w.late.pk]}),
        Visit(
            "reviewer",
            query=lambda w: {"ids": [w.a.pk], "period": w.period.pk, "change": "close"},
        ),
    ],
    "reminder_send_now": [Visit("reviewer", query=lambda w: {"ids": [w.a.pk]})],
    "extension_request_create": [Visit("leader", pk("a"))],
    "extension_decide": [Visit("reviewer", pk("extension"))],
    "assignment_delegate": [Visit("leader", pk("a2")), Visit("leader", pk("a"))],
    "finding_create": [Visit("supervisor", pk("supervision"))],
    "discussion_thread": [
        Visit("officer", pk("a")),
        Visit("reviewer", pk("a")),
        Visit("supervisor", pk("supervision")),
    ],
    "discussion_message_edit": [Visit("officer", pk("message"))],
    "report_create": [Visit("officer", pk("a")), Visit("officer", pk("a2"))],
    "report_detail": [
        Visit("reviewer", pk("submitted")),
        Visit("officer", pk("draft")),
        Visit("leader", pk("returned")),
        Visit("supervisor", pk("accepted")),
    ],
    "report_edit": [Visit("officer", pk("draft")), Visit("officer", pk("returned"))],
    "report_return": [Visit("reviewer", pk("submitted"))],
    # Submitting and accepting lock the work, so a GET asks first; only the POST takes the step.
    "report_submit": [Visit("leader", pk("draft"))],
    "report_accept": [Visit("reviewer", pk("submitted"))],
    "figure_submit": [Visit("leader", pk("draft_figure"))],
    "figure_accept": [Visit("reviewer", pk("submitted_figure"))],
    "report_history": [Visit("officer", pk("draft")), Visit("reviewer", pk("returned"))],
    "notification_list": [Visit("officer"), Visit("officer", query=lambda w: {"page": 2})],
    "notice_preferences": [Visit("officer"), Visit("reviewer")],
    "agency_home": [Visit("officer"), Visit("leader"), Visit("reviewer")],
    "generated_report_list": [Visit("reviewer"), Visit("officer"), Visit("administrator")],
    "generated_report_create": [Visit("reviewer"), Visit("supervisor"), Visit("leader")],
    "generated_report_detail": [
        Visit("standing_member", pk("standing_committee_report")),
        Visit("supervisor", pk("oversight_report")),
        Visit("officer", pk("queued_report")),
    ],
    "indicator_overview": [
        Visit("reviewer", lambda w: {"code": "nq23"}),
        Visit("officer", lambda w: {"code": "nq23"}),
    ],
    "indicator_detail": [Visit("officer", pk("share")), Visit("reviewer", pk("occupancy"))],
    "figure_create": [Visit("officer", pk("share"))],
    "indicator_explanation_create": [Visit("reviewer", pk("share"))],
    "figure_detail": [
        Visit("officer", pk("draft_figure")),
        Visit("reviewer", pk("submitted_figure")),
        Visit("standing_member", pk("area_figure")),
    ],
    "figure_edit": [Visit("officer", pk("draft_figure"))],
    "figure_return": [Visit("reviewer", pk("submitted_figure"))],
    "area_list": [Visit("officer")],
    "area_detail": [Visit("officer", pk("cluster"))],
    "area_figure_create": [Visit("officer", pk("cluster"))],
    "explanation_list": [Visit("reviewer"), Visit("officer")],
    "assignment_explanation_create": [Visit("reviewer", pk("late"))],
    "explanation_detail": [
        Visit("officer", pk("explanation")),
        Visit("reviewer", pk("explanation")),
    ],
    "calendar_feed_settings": [Visit("officer"), Visit("reviewer")],
}
# Not pages: they only act on a POST, and answer a GET with 405.
ACTIONS = {
    "logout": None,
    "lockout_lift": None,
    "period_open": pk("planned"),
    "period_close": pk("period"),
    "document_create": pk("draft"),
    "document_delete": pk("document"),
    "attachment_create": pk("draft"),
    "attachment_delete": pk("draft_attachment"),
    "notification_read": pk("reminder"),
    "notification_read_all": None,
    "explanation_answer": pk("explanation"),
    "explanation_close": pk("explanation"),
    "calendar_feed_reset": None,
    "calendar_feed_stop": None,
    "discussion_message_withdraw": pk("message"),
}
# Not pages either: a GET gets a file, or a redirect.
NOT_PAGES = {
    "attachment_download": pk("submitted_attachment"),
    "discussion_attachment_download": pk("message_file"),
    "set_language": None,
    # A redirect to the icon: tests/test_small_things.py.
    "favicon": None,
    "generated_report_pdf": pk("standing_committee_report"),
    "generated_report_xlsx": pk("standing_committee_report"),
    # The calendar program's file: feeds/tests/test_feeds.py.
    "calendar_feed": lambda w: {"token": "x" * 43},
}

VISITS = [
    pytest.param(name, index, language, id=f"{name}-{index}-{visit.role}-{language}")
    for name, visits in PAGES.items()
    for index, visit in enumerate(visits)
    for language in LANGUAGES
]

# Labels of the interface that give away an untranslated string. None of them is a Vietnamese
# word, and the world's data is all Vietnamese; text the page marks as English (a body's
# English name, the language switch) is left out before looking.
ENGLISH_UI_WORDS = [
    "Accept",
    "Accepted",
    "Action",
    "Actions",
    "Any",
    "Apply",
    "Assignment",
    "Assignments",
    "Attach",
    "Attachments",
    "Back",
    "Bodies",
    "Body",
    "By",
    "Cancel",
    "Change",
    "Cite",
    "Close",
    "Closed",
    "Completed",
    "Compliance",
    "Days",
    "Deadline",
    "Decide",
    "Decision",
    "Delegate",
    "Draft",
    "Due",
    "Expected",
    "Extension",
    "File",
    "Finding",
    "Findings",
    "History",
    "My work",
    "Next",
    "Not submitted",
    "Note",
    "Ongoing",
    "Open",
    "Overdue",
    "Page",
    "Password",
    "Period",
    "Planned",
    "Previous",
    "Programme",
    "Programmes",
    "Reason",
    "Record",
    "Remove",
    "Report",
    "Reports",
    "Request",
    "Return",
    "Returned",
    "Role",
    "Save",
    "Search",
    "Show",
    "Sign in",
    "Sign out",
    "Size",
    "Sort",
    "State",
    "Status",
    "Submit",
    "Submitted",
    "Supervision",
    "Task",
    "Title",
    "Total",
    "due",
    "overdue",
    "report",
    "the",
    "was",
]
_ENGLISH_UI = re.compile(r"\b(?:" + "|".join(map(re.escape, ENGLISH_UI_WORDS)) + r")\b")
_MARKED_ENGLISH = re.compile(r'<(\w+)\b[^>]*\blang="en"[^>]*>.*?</\1>', re.DOTALL)


def assert_is_a_page(response, language: str = "vi") -> None:
    path = response.request["PATH_INFO"]
    assert response.status_code == 200, path
    markup = response.content.decode()
    assert f'<html lang="{language}">' in markup, path
    assert len(re.findall(r"<h1[ >]", markup)) == 1, path
    if language == "vi":
        assert "thông tin không mật" in markup, path
        text = page_text(_MARKED_ENGLISH.sub(" ", markup))
        assert _ENGLISH_UI.findall(text) == [], f"{path}: {text}"


def named_patterns(resolver=None) -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            # The API's routes and its token page: api/tests (schema, matrix, the token page).
            if pattern.namespace not in ("admin", "api"):
                names |= named_patterns(pattern)
        elif isinstance(pattern, URLPattern):
            names.add(pattern.name)
    return names


def sign_in(client, world, role: str, language: str):
    if role != "anonymous":
        client.force_login(world.users[role])
    client.post(reverse("set_language"), {"language": language})
    return client


def test_the_smoke_test_knows_every_page():
    listed = [*PAGES, *ACTIONS, *NOT_PAGES]

    assert len(listed) == len(set(listed))
    assert named_patterns() == set(listed)


@pytest.mark.parametrize("name", ACTIONS)
def test_an_action_is_not_a_page(world, client, name):
    client.force_login(world.users["reviewer"])
    kwargs = ACTIONS[name]

    assert client.get(reverse(name, kwargs=kwargs(world) if kwargs else None)).status_code == 405


def test_a_download_is_a_file_and_the_language_switch_a_redirect(world, client, settings):
    client.force_login(world.users["officer"])
    download = client.get(reverse("attachment_download", kwargs=pk("submitted_attachment")(world)))
    switch = client.get(reverse("set_language"))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert switch.status_code == 302


@pytest.mark.parametrize(("name", "index", "language"), VISITS)
def test_it_renders_the_page(world, client, name, index, language):
    visit = PAGES[name][index]
    sign_in(client, world, visit.role, language)
    url = reverse(name, kwargs=visit.kwargs(world) if visit.kwargs else None)

    response = client.get(url, visit.query(world) if visit.query else {})

    assert_is_a_page(response, language)


def test_the_telltale_words_catch_an_untranslated_label():
    markup = (
        '<html lang="vi"><h1>Báo cáo</h1><p>thông tin không mật</p>'
        '<button>Submit</button><dd lang="en">Provincial Party Office</dd></html>'
    )

    text = page_text(_MARKED_ENGLISH.sub(" ", markup))

    assert _ENGLISH_UI.findall(text) == ["Submit"]


def test_it_renders_every_item_and_every_body(world, client):
    sign_in(client, world, "officer", "vi")

    for programme_code, key in Item.objects.values_list("programme__code", "key"):
        assert_is_a_page(client.get(reverse("item_detail", args=[programme_code, key])))
    for code in Body.objects.values_list("code", flat=True):
        assert_is_a_page(client.get(reverse("body_detail", args=[code])))


def test_it_answers_an_unknown_address_with_its_own_404_page(world, client):
    client.force_login(world.users["officer"])
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    markup = response.content.decode()
    assert '<html lang="vi">' in markup
    assert "<h1>Không tìm thấy trang</h1>" in markup


def test_the_server_error_page_renders_without_a_request():
    markup = render_to_string("500.html")

    assert '<html lang="vi">' in markup
    assert "<h1>Lỗi hệ thống</h1>" in markup
