"""The permission matrix: every URL pattern of the project, for every role, anonymous and a
member of an unrelated body, against the object it names, for reads and writes.

Each case runs in its own savepoint over one shared world, so a write that succeeds does not
leak into the next case. A URL pattern added without an entry here fails
test_every_url_pattern_is_in_the_matrix.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from conftest import CAST, make_member
from discussion.models import Message
from discussion.services import message_post
from indicators.models import ExplanationRequest, YearlyFigure
from indicators.services import FigureData, figure_create, figure_return, figure_submit
from notifications.models import Reminder, ReminderStep
from reorganisation.tests.support import recorded_act
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_request
from tasks.services.findings import finding_record
from tasks.services.reports import (
    ReportData,
    attachment_add,
    document_cite,
    report_create,
    report_submit,
)
from tests.indicators_support import indicator_world
from tests.reports_support import kept_report

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["anonymous", *CAST]  # officer, other_officer, leader, reviewer, supervisor, ...
SIGNED_IN = [r for r in ROLES if r != "anonymous"]
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(reference_data, django_db_blocker, tmp_path_factory):
    """Nha Trang's two assignments: one with a submitted report (R) and attachment, one with a
    draft (D) carrying a cited document and an attachment and a pending extension request; the
    Fatherland Front's supervision of the first task with a finding; an open and a planned
    period. Beside the indicators' world, a figure (2021) the Party Office returned and Nha Trang
    is revising."""
    with django_db_blocker.unblock():
        users = {key: make_member(key) for key in CAST}
        today = timezone.localdate()
        period = ReportingPeriod.objects.get(code="2026-nam")
        planned = ReportingPeriod.objects.get(code="2027-6t")
        a = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
        )
        a2 = Assignment.objects.get(
            item__key="III.10.b1", body__code="thanh-uy-nha-trang", role="implement_locally"
        )
        supervision = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="uy-ban-mttq-tinh", role="supervise"
        )
        for assignment in (a, a2):
            assignment_set_deadline(
                assignment=assignment,
                kind="fixed",
                deadline=today + timedelta(days=60),
                acting_user=users["reviewer"],
                reason="Giao thời hạn",
            )
        submitted = report_create(
            assignment=a,
            period=period,
            data=ReportData(result="Đã lập quy hoạch cụm công nghiệp.", percent_complete=50),
            acting_user=users["officer"],
        )
        submitted_attachment = attachment_add(
            report=submitted,
            upload=SimpleUploadedFile("ke-hoach.pdf", PDF),
            acting_user=users["officer"],
        )
        report_submit(report=submitted, acting_user=users["leader"])
        draft = report_create(
            assignment=a2,
            period=period,
            data=ReportData(result="Bí mật nội bộ: dự thảo chưa gửi.", percent_complete=10),
            acting_user=users["officer"],
        )
        document = document_cite(
            report=draft,
            number="12/KH-TU",
            issued_on=date(2026, 3, 1),
            issuer="Thành ủy Nha Trang",
            title="Kế hoạch",
            acting_user=users["officer"],
        )
        draft_attachment = attachment_add(
            report=draft,
            upload=SimpleUploadedFile("du-thao.pdf", PDF),
            acting_user=users["officer"],
        )
        extension = extension_request(
            assignment=a2,
            proposed_deadline=today + timedelta(days=120),
            reason="Chờ quy hoạch tỉnh",
            acting_user=users["leader"],
        )
        finding = finding_record(
            supervision=supervision,
            period=period,
            text="Tiến độ chậm.",
            recommendation="",
            acting_user=users["supervisor"],
        )
        message = message_post(
            assignment=a,
            text="Gửi kèm biên bản làm việc.",
            upload=SimpleUploadedFile("bien-ban.pdf", PDF),
            acting_user=users["officer"],
        )
        draft_message = message_post(
            assignment=a2,
            text="Anh xem giúp dự thảo.",
            report=draft,
            upload=SimpleUploadedFile("du-thao-ghi-chu.pdf", PDF),
            acting_user=users["officer"],
        )
        message_file = message.attachments.get()
        draft_message_file = draft_message.attachments.get()
        reminder = Reminder.objects.create(
            subject_kind=Reminder.SubjectKind.ASSIGNMENT_DEADLINE,
            subject=f"a{a.pk}",
            assignment=a,
            deadline=today + timedelta(days=60),
            step=ReminderStep.objects.get(code="1-ngay-truoc"),
            days_from_deadline=-1,
            recipient=users["officer"],
        )
        generated = SimpleNamespace(
            standing_committee=kept_report("standing_committee"),
            oversight=kept_report("oversight", "uy-ban-mttq-tinh"),
            body=kept_report("body", "thanh-uy-nha-trang"),
        )
        indicators = indicator_world(users)
        returned_figure = figure_create(
            subject=indicators.share,
            data=FigureData(2021, Decimal("31"), "Cục Thống kê", "Chưa gửi lại"),
            acting_user=users["officer"],
        )
        figure_submit(figure=returned_figure, acting_user=users["leader"])
        figure_return(figure=returned_figure, reason="Thiếu nguồn", acting_user=users["reviewer"])
    return SimpleNamespace(
        returned_figure=returned_figure,
        **vars(indicators),
        generated=generated,
        reminder=reminder,
        users=users,
        period=period,
        planned=planned,
        a=a,
        a2=a2,
        supervision=supervision,
        submitted=submitted,
        submitted_attachment=submitted_attachment,
        draft=draft,
        document=document,
        draft_attachment=draft_attachment,
        extension=extension,
        finding=finding,
        message=message,
        message_file=message_file,
        draft_message=draft_message,
        draft_message_file=draft_message_file,
    )


def seen_deadline(assignment: Assignment) -> str:
    """The deadline as a bulk step's confirmation page shows it, to confirm against."""
    assignment = Assignment.objects.get(pk=assignment.pk)
    deadline = assignment.deadline.isoformat() if assignment.deadline else ""
    return f"{assignment.pk}:{assignment.deadline_kind}:{deadline}:"


def expect(default, **by_role):
    """Expected status per role: anonymous is sent to sign in unless stated."""
    table = {role: default for role in SIGNED_IN}
    table["anonymous"] = 302
    table.update(by_role)
    return table


def only(allowed_status, roles, others):
    return expect(others, **dict.fromkeys(roles, allowed_status))


# Pages that answer before sign-in.
PUBLIC = {"login", "set_language", "favicon"}
NT = ("officer", "leader")
GLOBAL = ("reviewer", "standing_member", "administrator")
READERS_OF_A = (*NT, *GLOBAL, "supervisor")

# name -> list of (method, kwargs(world), data(world) or None, expected by role)
MATRIX = {
    "login": [("get", None, None, expect(200, anonymous=200))],
    "logout": [("post", None, None, expect(302))],
    "password_change": [("get", None, None, expect(200))],
    "password_change_done": [("get", None, None, expect(200))],
    "lockout_list": [("get", None, None, only(200, ["administrator"], 403))],
    "lockout_lift": [
        ("get", None, None, expect(405)),
        (
            "post",
            None,
            lambda w: {"ip_address": "198.51.100.7", "username": "canbo.nhatrang"},
            only(302, ["administrator"], 403),
        ),
    ],
    "security_event_list": [("get", None, None, only(200, ["administrator"], 403))],
    "set_language": [("post", None, lambda w: {"language": "en", "next": "/"}, expect(302))],
    "favicon": [("get", None, None, expect(302, anonymous=302))],
    "programme_detail": [("get", lambda w: {"code": "nq23"}, None, expect(200))],
    "item_detail": [("get", lambda w: {"code": "nq23", "key": "III.1.b1.s2"}, None, expect(200))],
    "search": [("get", None, None, expect(200))],
    "body_list": [("get", None, None, expect(200))],
    "body_detail": [("get", lambda w: {"code": "thanh-uy-nha-trang"}, None, expect(200))],
    "reorganisation_list": [("get", None, None, only(200, GLOBAL, 403))],
    "reorganisation_detail": [
        ("get", lambda w: {"pk": recorded_act().pk}, None, only(200, GLOBAL, 403))
    ],
    "home": [("get", None, None, expect(200))],
    # Anyone signed in; one who is no body's officer or leader is told so.
    "agency_home": [("get", None, None, expect(200))],
    "programme_list": [("get", None, None, expect(200))],
    "compliance_overview": [("get", None, None, only(200, GLOBAL, 403))],
    "supervision_overview": [("get", None, None, only(200, ["supervisor"], 403))],
    "assignment_list": [("get", None, None, expect(200))],
    # Anyone signed in; the rows are what the report policy lets each see.
    "progress_report_list": [("get", None, None, expect(200))],
    "period_list": [("get", None, None, expect(200))],
    "period_detail": [("get", lambda w: {"pk": w.period.pk}, None, expect(200))],
    "period_open": [
        ("get", lambda w: {"pk": w.planned.pk}, None, expect(405)),
        ("post", lambda w: {"pk": w.planned.pk}, None, only(302, ["reviewer"], 403)),
    ],
    "period_close": [("post", lambda w: {"pk": w.period.pk}, None, only(302, ["reviewer"], 403))],
    "assignment_detail": [
        ("get", lambda w: {"pk": w.a.pk}, None, only(200, READERS_OF_A, 404)),
        ("get", lambda w: {"pk": w.supervision.pk}, None, only(200, ("supervisor", *GLOBAL), 404)),
    ],
    "assignment_history": [
        ("get", lambda w: {"pk": w.a.pk}, None, only(200, READERS_OF_A, 404)),
    ],
    "assignment_deadline": [
        (
            "get",
            lambda w: {"pk": w.a.pk},
            None,
            expect(403, other_officer=404, reviewer=200),
        ),
        (
            "post",
            lambda w: {"pk": w.a.pk},
            lambda w: {"kind": "fixed", "deadline": "2027-06-30", "reason": "Điều chỉnh"},
            expect(403, other_officer=404, reviewer=302),
        ),
    ],
    # Bulk steps on ticked rows: the Party Office's alone, whatever the rows.
    "assignment_bulk_deadline": [
        (
            "get",
            None,
            lambda w: {"ids": [w.a.pk], "kind": "fixed", "deadline": "2027-06-30", "reason": "x"},
            only(200, ["reviewer"], 403),
        ),
        (
            "post",
            None,
            lambda w: {
                "ids": [w.a.pk],
                "kind": "fixed",
                "deadline": "2027-06-30",
                "reason": "Điều chỉnh",
                "seen": [seen_deadline(w.a)],
            },
            only(302, ["reviewer"], 403),
        ),
    ],
    "assignment_bulk_period": [
        (
            "get",
            None,
            lambda w: {"ids": [w.a.pk], "period": w.planned.pk, "change": "open"},
            only(200, ["reviewer"], 403),
        ),
        (
            "post",
            None,
            lambda w: {"ids": [w.a.pk], "period": w.planned.pk, "change": "open"},
            only(302, ["reviewer"], 403),
        ),
    ],
    "reminder_send_now": [
        ("get", None, lambda w: {"ids": [w.a.pk]}, only(200, ["reviewer"], 403)),
        ("post", None, lambda w: {"ids": [w.a.pk]}, only(302, ["reviewer"], 403)),
    ],
    "extension_request_create": [
        ("get", lambda w: {"pk": w.a.pk}, None, expect(403, other_officer=404, leader=200)),
        (
            "post",
            lambda w: {"pk": w.a.pk},
            lambda w: {"proposed_deadline": "2027-12-31", "reason": "Chờ vốn"},
            expect(403, other_officer=404, leader=302),
        ),
    ],
    "extension_decide": [
        (
            "get",
            lambda w: {"pk": w.extension.pk},
            None,
            expect(403, other_officer=404, reviewer=200),
        ),
        (
            "post",
            lambda w: {"pk": w.extension.pk},
            lambda w: {"decision": "approve", "note": "Đồng ý"},
            expect(403, other_officer=404, reviewer=302),
        ),
    ],
    "assignment_delegate": [
        ("get", lambda w: {"pk": w.a.pk}, None, expect(403, other_officer=404, leader=200)),
    ],
    "finding_create": [
        (
            "get",
            lambda w: {"pk": w.supervision.pk},
            None,
            expect(403, officer=404, leader=404, other_officer=404, supervisor=200),
        ),
        (
            "post",
            lambda w: {"pk": w.supervision.pk},
            lambda w: {"period": w.period.pk, "text": "Cần đẩy nhanh.", "recommendation": ""},
            expect(403, officer=404, leader=404, other_officer=404, supervisor=302),
        ),
    ],
    "report_create": [
        (
            "get",
            lambda w: {"pk": w.a.pk},
            None,
            expect(403, other_officer=404, **dict.fromkeys(NT, 200)),
        ),
    ],
    "report_detail": [
        ("get", lambda w: {"pk": w.submitted.pk}, None, only(200, READERS_OF_A, 404)),
        ("get", lambda w: {"pk": w.draft.pk}, None, only(200, NT, 404)),
    ],
    "report_edit": [
        ("get", lambda w: {"pk": w.draft.pk}, None, only(200, NT, 404)),
        ("get", lambda w: {"pk": w.submitted.pk}, None, only(403, READERS_OF_A, 404)),
        (
            "post",
            lambda w: {"pk": w.draft.pk},
            lambda w: {
                "result": "Sửa",
                "percent_complete": 20,
                "difficulties": "",
                "proposals": "",
                "version": w.draft.version,
            },
            only(302, NT, 404),
        ),
    ],
    "report_submit": [
        ("get", lambda w: {"pk": w.draft.pk}, None, expect(404, officer=403, leader=200)),
        ("post", lambda w: {"pk": w.draft.pk}, None, expect(404, officer=403, leader=302)),
    ],
    "report_accept": [
        (
            "get",
            lambda w: {"pk": w.submitted.pk},
            None,
            only(403, READERS_OF_A, 404) | {"reviewer": 200},
        ),
        (
            "post",
            lambda w: {"pk": w.submitted.pk},
            None,
            only(403, READERS_OF_A, 404) | {"reviewer": 302},
        ),
    ],
    "report_return": [
        (
            "get",
            lambda w: {"pk": w.submitted.pk},
            None,
            only(403, READERS_OF_A, 404) | {"reviewer": 200},
        ),
        (
            "post",
            lambda w: {"pk": w.submitted.pk},
            lambda w: {"reason": "Thiếu số liệu"},
            only(403, READERS_OF_A, 404) | {"reviewer": 302},
        ),
    ],
    "report_history": [
        ("get", lambda w: {"pk": w.submitted.pk}, None, only(200, READERS_OF_A, 404)),
        ("get", lambda w: {"pk": w.draft.pk}, None, only(200, NT, 404)),
    ],
    "document_create": [
        (
            "post",
            lambda w: {"pk": w.draft.pk},
            lambda w: {"number": "5/BC-TU", "issued_on": "2026-05-01", "issuer": "TU", "title": ""},
            only(302, NT, 404),
        ),
    ],
    "document_delete": [("post", lambda w: {"pk": w.document.pk}, None, only(302, NT, 404))],
    "attachment_create": [
        (
            "post",
            lambda w: {"pk": w.draft.pk},
            lambda w: {"file": SimpleUploadedFile("them.pdf", PDF)},
            only(302, NT, 404),
        ),
    ],
    "attachment_download": [
        ("get", lambda w: {"pk": w.draft_attachment.pk}, None, only(200, NT, 404)),
        ("get", lambda w: {"pk": w.submitted_attachment.pk}, None, only(200, READERS_OF_A, 404)),
    ],
    "attachment_delete": [
        ("post", lambda w: {"pk": w.draft_attachment.pk}, None, only(302, NT, 404))
    ],
    "notification_list": [("get", None, None, expect(200))],
    "notice_preferences": [("get", None, None, expect(200))],
    "notification_read": [
        ("post", lambda w: {"pk": w.reminder.pk}, None, only(302, ["officer"], 404))
    ],
    "notification_read_all": [("post", None, None, expect(302))],
    "generated_report_list": [("get", None, None, expect(200))],
    "generated_report_create": [
        ("get", None, None, expect(200)),
        (
            "post",
            None,
            lambda w: {
                "kind": "standing_committee",
                "programme": w.period.programme_id,
                "period": w.period.pk,
            },
            expect(400, reviewer=302, administrator=302),
        ),
        (
            "post",
            None,
            lambda w: {
                "kind": "body",
                "programme": w.period.programme_id,
                "period": w.period.pk,
                "body": w.a.body_id,
            },
            expect(400, **dict.fromkeys((*NT, "reviewer", "standing_member"), 302)),
        ),
    ],
    **{
        name: [
            (
                "get",
                lambda w: {"pk": w.generated.standing_committee.pk},
                None,
                only(200, GLOBAL, 404),
            ),
            (
                "get",
                lambda w: {"pk": w.generated.oversight.pk},
                None,
                only(200, ("supervisor", "reviewer", "standing_member"), 404),
            ),
            (
                "get",
                lambda w: {"pk": w.generated.body.pk},
                None,
                only(200, (*NT, "reviewer", "standing_member"), 404),
            ),
        ]
        for name in ("generated_report_detail", "generated_report_pdf", "generated_report_xlsx")
    },
}

FIGURE = {"year": 2022, "value": "32", "source": "Cục Thống kê", "note": ""}
EXPLAIN = {"question": "Giải trình", "due_on": "2030-01-31"}
RETURNED_READERS = (*NT, "reviewer", "standing_member", "supervisor")
MATRIX |= {
    "indicator_overview": [("get", lambda w: {"code": "nq23"}, None, expect(200))],
    "indicator_detail": [("get", lambda w: {"pk": w.share.pk}, None, expect(200))],
    "figure_create": [
        ("get", lambda w: {"pk": w.share.pk}, None, only(200, NT, 403)),
        ("post", lambda w: {"pk": w.share.pk}, lambda w: FIGURE, only(302, NT, 403)),
    ],
    "indicator_explanation_create": [
        ("get", lambda w: {"pk": w.share.pk}, None, only(200, ["reviewer"], 403)),
        ("post", lambda w: {"pk": w.share.pk}, lambda w: EXPLAIN, only(302, ["reviewer"], 403)),
    ],
    "figure_detail": [
        ("get", lambda w: {"pk": w.draft_figure.pk}, None, only(200, NT, 404)),
        ("get", lambda w: {"pk": w.submitted_figure.pk}, None, expect(200)),
        # Returned and under revision: as a returned report, not for other bodies.
        ("get", lambda w: {"pk": w.returned_figure.pk}, None, only(200, RETURNED_READERS, 404)),
    ],
    "figure_edit": [
        ("get", lambda w: {"pk": w.draft_figure.pk}, None, only(200, NT, 404)),
        ("get", lambda w: {"pk": w.submitted_figure.pk}, None, expect(403)),
        (
            "get",
            lambda w: {"pk": w.returned_figure.pk},
            None,
            only(403, RETURNED_READERS, 404) | dict.fromkeys(NT, 200),
        ),
        (
            "post",
            lambda w: {"pk": w.draft_figure.pk},
            lambda w: FIGURE | {"year": 2023, "version": 1},
            only(302, NT, 404),
        ),
    ],
    "figure_submit": [
        ("get", lambda w: {"pk": w.draft_figure.pk}, None, expect(404, officer=403, leader=200)),
        ("post", lambda w: {"pk": w.draft_figure.pk}, None, expect(404, officer=403, leader=302)),
    ],
    "figure_accept": [
        ("get", lambda w: {"pk": w.submitted_figure.pk}, None, expect(403, reviewer=200)),
        ("post", lambda w: {"pk": w.submitted_figure.pk}, None, expect(403, reviewer=302)),
    ],
    "figure_return": [
        ("get", lambda w: {"pk": w.submitted_figure.pk}, None, expect(403, reviewer=200)),
        (
            "post",
            lambda w: {"pk": w.submitted_figure.pk},
            lambda w: {"reason": "Thiếu nguồn"},
            expect(403, reviewer=302),
        ),
    ],
    "area_list": [("get", None, None, expect(200))],
    "area_detail": [("get", lambda w: {"pk": w.cluster.pk}, None, expect(200))],
    "area_figure_create": [
        ("get", lambda w: {"pk": w.cluster.pk}, None, only(200, NT, 403)),
        ("post", lambda w: {"pk": w.cluster.pk}, lambda w: FIGURE, only(302, NT, 403)),
    ],
    "explanation_list": [("get", None, None, expect(200))],
    "assignment_explanation_create": [
        ("get", lambda w: {"pk": w.a.pk}, None, expect(403, other_officer=404, reviewer=200)),
        # Not overdue: the reviewer's request is refused on the form.
        (
            "post",
            lambda w: {"pk": w.a.pk},
            lambda w: EXPLAIN,
            expect(403, other_officer=404, reviewer=400),
        ),
    ],
    "explanation_detail": [
        (
            "get",
            lambda w: {"pk": w.explanation.pk},
            None,
            only(200, (*NT, "reviewer", "standing_member"), 404),
        ),
    ],
    "explanation_answer": [
        (
            "post",
            lambda w: {"pk": w.explanation.pk},
            lambda w: {"answer": "Đang tổng hợp."},
            only(302, NT, 404) | {"reviewer": 403, "standing_member": 403},
        ),
    ],
    "explanation_close": [
        (
            "post",
            lambda w: {"pk": w.explanation.pk},
            lambda w: {"note": ""},
            only(403, (*NT, "standing_member"), 404) | {"reviewer": 302},
        ),
    ],
    # Calendar feeds: any signed-in person keeps their own; a wrong address is a 404 to all.
    "calendar_feed_settings": [("get", None, None, expect(200))],
    "calendar_feed_reset": [("get", None, None, expect(405)), ("post", None, None, expect(200))],
    "calendar_feed_stop": [("post", None, None, expect(302))],
    "calendar_feed": [("get", lambda w: {"token": "x" * 43}, None, expect(404, anonymous=404))],
    # The thread of an assignment: read by whoever sees the assignment; written by the body, the
    # Party Office and the task's supervisors; a message on a draft stays within the body.
    "discussion_thread": [
        ("get", lambda w: {"pk": w.a.pk}, None, only(200, READERS_OF_A, 404)),
        (
            "post",
            lambda w: {"pk": w.a.pk},
            lambda w: {"text": "Đề nghị bổ sung."},
            only(302, (*NT, "reviewer", "supervisor"), 404)
            | {"standing_member": 403, "administrator": 403},
        ),
        ("get", lambda w: {"pk": w.supervision.pk}, None, only(200, ("supervisor", *GLOBAL), 404)),
    ],
    "discussion_message_edit": [
        (
            "get",
            lambda w: {"pk": w.message.pk},
            None,
            only(403, READERS_OF_A, 404) | {"officer": 200},
        ),
        (
            "post",
            lambda w: {"pk": w.message.pk},
            lambda w: {"text": "Đã sửa."},
            only(403, READERS_OF_A, 404) | {"officer": 302},
        ),
        ("get", lambda w: {"pk": w.draft_message.pk}, None, only(403, NT, 404) | {"officer": 200}),
    ],
    "discussion_message_withdraw": [
        ("get", lambda w: {"pk": w.message.pk}, None, expect(405)),
        (
            "post",
            lambda w: {"pk": w.message.pk},
            None,
            only(403, READERS_OF_A, 404) | {"officer": 302},
        ),
    ],
    "discussion_attachment_download": [
        ("get", lambda w: {"pk": w.message_file.pk}, None, only(200, READERS_OF_A, 404)),
        ("get", lambda w: {"pk": w.draft_message_file.pk}, None, only(200, NT, 404)),
    ],
}

CASES = [
    pytest.param(name, index, role, id=f"{name}-{case[0]}{index}-{role}")
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    for role in ROLES
]


def named_patterns(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site's gate has its own test below
            if pattern.namespace == "api":
                continue  # every API route × role × method: api/tests/test_permission_matrix.py
            names |= named_patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(pattern.name)
    return names


def test_every_url_pattern_is_in_the_matrix():
    assert named_patterns() == set(MATRIX)


@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_the_matrix(world, client, settings, tmp_path, name, index, role):
    settings.ATTACHMENTS_ROOT = tmp_path
    method, kwargs, data, expected = MATRIX[name][index]
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    before = snapshot(world)
    payload = data(world) if data else {}
    response = getattr(client, method)(url, payload)

    assert response.status_code == expected[role], (
        f"{method.upper()} {url} as {role}: {response.status_code}, expected {expected[role]}"
    )
    if response.status_code == 302 and role == "anonymous" and name not in PUBLIC:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code in (403, 404) and role != "anonymous":
        assert snapshot(world) == before, "a refused request changed something"
        # The log keeps the query too (the ticked rows of a bulk step's page).
        full = f"{url}?{urlencode(payload, doseq=True)}" if method == "get" and payload else url
        assert SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.REFUSED, user=world.users[role], path=full[:500]
        ).exists(), "the refusal was not written to the security log"


def snapshot(world) -> dict:
    reports = {
        r.pk: (r.state, r.result, r.version, r.documents.count(), r.attachments.count())
        for r in ProgressReport.objects.filter(pk__in=[world.draft.pk, world.submitted.pk])
    }
    assignments = {
        a.pk: (a.deadline, a.extended_deadline, a.completed_on, a.delegations.count())
        for a in Assignment.objects.filter(pk__in=[world.a.pk, world.a2.pk])
    }
    periods = dict(
        ReportingPeriod.objects.filter(pk__in=[world.period.pk, world.planned.pk]).values_list(
            "pk", "state"
        )
    )
    return {
        "reports": reports,
        "assignments": assignments,
        "periods": periods,
        "report_count": ProgressReport.objects.count(),
        "findings": world.supervision.findings.count(),
        "messages": sorted(Message.objects.values_list("pk", "text", "withdrawn_at")),
        "extension": type(world.extension).objects.get(pk=world.extension.pk).state,
        "reminder_read": Reminder.objects.get(pk=world.reminder.pk).read_at,
        "generated_reports": type(world.generated.body).objects.count(),
        "figures": sorted(YearlyFigure.objects.values_list("pk", "state", "year", "value")),
        "explanations": sorted(
            ExplanationRequest.objects.values_list("pk", "state", "answer", "closed_at")
        ),
    }


def test_a_refusal_is_a_vietnamese_page(world, client):
    client.force_login(world.users["officer"])
    response = client.get(reverse("compliance_overview"))
    assert response.status_code == 403
    assert "Bị từ chối truy cập" in response.content.decode()


def test_the_admin_is_for_administrators_only(world, client):
    from django.contrib import admin

    models = list(admin.site._registry)
    for role in SIGNED_IN:
        client.force_login(world.users[role])
        response = client.get(reverse("admin:index"))
        if role == "administrator":
            assert response.status_code == 200
        else:
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
    client.force_login(world.users["administrator"])
    for model in models:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code in (200, 403), url


def test_the_admin_shows_no_drafts_even_to_its_administrator(world, client):
    client.force_login(world.users["administrator"])
    page = client.get(reverse("admin:tasks_progressreport_changelist")).content.decode()
    assert f"/{world.submitted.pk}/" in page
    assert f"/{world.draft.pk}/" not in page
