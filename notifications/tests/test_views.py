"""The notification bell: the unread count in the header, the list, marking read, and nobody
else's reminders."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent
from notifications.bell import bell_bump
from notifications.models import Reminder, ReminderStep
from tasks.models import Assignment

pytestmark = pytest.mark.database


def remind(user, assignment, *, days: int = -1, step: str = "1-ngay-truoc", n: int = 0):
    """A reminder as the sweep records it: the row, and the bump of the recipient's bell."""
    deadline = date(2027, 3, 15) + timedelta(days=n)
    bell_bump([user.pk])
    return Reminder.objects.create(
        subject_kind=Reminder.SubjectKind.ASSIGNMENT_DEADLINE,
        subject=f"a{assignment.pk}",
        assignment=assignment,
        deadline=deadline,
        step=ReminderStep.objects.get(code=step),
        days_from_deadline=days,
        recipient=user,
    )


@pytest.fixture
def assignment(reference_data, db):
    return Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )


def bell(client, text_of) -> str:
    page = client.get(reverse("programme_list")).content.decode()
    start = page.index('class="bell')
    return text_of(page[start : page.index("</a>", start)])


def test_the_bell_counts_unread_reminders_and_the_list_shows_them(
    client, officer, assignment, text_of
):
    client.force_login(officer)
    assert "Thông báo" in bell(client, text_of)
    assert "chưa đọc" not in bell(client, text_of).replace("không có thông báo chưa đọc", "")

    remind(officer, assignment)
    remind(officer, assignment, days=3, step="dung-han", n=1)
    assert "2 chưa đọc" in bell(client, text_of)

    page = text_of(client.get(reverse("notification_list")))
    # Titled by the day count each carries, not by the step of the policy that sent it.
    assert "Còn 1 ngày đến hạn" in page
    assert "Quá hạn 3 ngày" in page
    assert "Nhắc đúng ngày đến hạn" not in page
    assert "III.1, gạch đầu dòng thứ 1, ý thứ 2" in page
    assert "15/03/2027" in page


def test_marking_read_one_and_all(client, officer, assignment, text_of):
    first = remind(officer, assignment)
    remind(officer, assignment, n=1)
    remind(officer, assignment, n=2)
    client.force_login(officer)

    response = client.post(
        reverse("notification_read", args=[first.pk]), {"next": reverse("notification_list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notification_list")
    first.refresh_from_db()
    assert first.read_at is not None
    assert "2 chưa đọc" in bell(client, text_of)

    # An address elsewhere is not followed.
    response = client.post(
        reverse("notification_read", args=[first.pk]), {"next": "https://example.com/"}
    )
    assert response["Location"] == reverse("notification_list")

    client.post(reverse("notification_read_all"))
    assert not Reminder.objects.filter(recipient=officer, read_at__isnull=True).exists()
    assert "chưa đọc" not in bell(client, text_of).replace("không có thông báo chưa đọc", "")


def test_nobody_sees_or_marks_anothers_reminders(
    client, officer, other_officer, assignment, text_of
):
    mine = remind(officer, assignment)
    client.force_login(other_officer)
    assert "III.1, gạch đầu dòng thứ 1, ý thứ 2" not in text_of(
        client.get(reverse("notification_list"))
    )
    assert "chưa đọc" not in bell(client, text_of).replace("không có thông báo chưa đọc", "")

    response = client.post(reverse("notification_read", args=[mine.pk]))
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.REFUSED, user=other_officer
    ).exists()

    client.post(reverse("notification_read_all"))
    mine.refresh_from_db()
    assert mine.read_at is None


# Session and user (the header's memberships and unread count from the warm caches); the
# page's count and rows.
LIST_QUERIES = 2 + 2


def test_the_list_takes_the_same_queries_for_3_or_60_reminders(
    client, officer, assignment, django_assert_num_queries
):
    client.force_login(officer)
    url = reverse("notification_list")
    for total in (3, 60):
        Reminder.objects.all().delete()
        for n in range(total):
            remind(officer, assignment, n=n)
        client.get(url)  # warms the caches: the count is of the steady state
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('data-reminder="') == min(total, 25)


def test_the_list_of_reminders_and_notices_of_every_kind_takes_the_same_queries(
    client, cast, assignment, django_assert_num_queries
):
    """Notices about reports, extensions, findings and explanations, and reminders that no
    longer apply, mixed in one list: still the same queries, however many."""
    from django.utils import timezone

    from indicators.services import explanation_request
    from tasks.models import ReportingPeriod
    from tasks.services.assignments import assignment_set_deadline
    from tasks.services.extensions import extension_request
    from tasks.services.findings import finding_record
    from tasks.services.reports import ReportData, report_create, report_return, report_submit

    officer, leader, reviewer = cast["officer"], cast["leader"], cast["reviewer"]
    period = ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Đã ban hành kế hoạch.", percent_complete=30),
        acting_user=officer,
    )
    report_submit(report=report, acting_user=leader)
    report_return(report=report, reason="Bổ sung.", acting_user=reviewer)
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=timezone.localdate() - timedelta(days=3),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )
    explanation = explanation_request(
        question="Vì sao chậm?",
        due_on=timezone.localdate() + timedelta(days=5),
        acting_user=reviewer,
        assignment=assignment,
    )
    extension = extension_request(
        assignment=assignment,
        proposed_deadline=timezone.localdate() + timedelta(days=30),
        reason="Chờ quy hoạch.",
        acting_user=leader,
    )
    finding = finding_record(
        supervision=Assignment.objects.get(
            item=assignment.item, body__code="uy-ban-mttq-tinh", role="supervise"
        ),
        period=None,
        text="Còn chậm.",
        recommendation="",
        acting_user=cast["supervisor"],
    )
    objects = [
        ("returned", {"progress_report": report}),
        ("explanation_requested", {"explanation_request": explanation}),
        ("extension_requested", {"extension_request": extension}),
        ("finding_recorded", {"finding": finding}),
    ]
    client.force_login(officer)
    url = reverse("notification_list")
    for total in (4, 60):
        Reminder.objects.all().delete()
        for n in range(total):
            event, fields = objects[n % len(objects)]
            Reminder.objects.create(
                subject_kind="event",
                subject=f"x{n}",
                event=event,
                occurred_at=timezone.now() - timedelta(minutes=n),
                delivery="digest",
                sweep=None,
                recipient=officer,
                assignment=assignment,
                body=assignment.body,
                **fields,
            )
            reminder = remind(officer, assignment, n=n)
            if n % 2:
                reminder.superseded_at = timezone.now()
                reminder.superseded_reason = "moved"
                reminder.save()
        client.get(url)  # warms the caches: the count is of the steady state
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(url)
        markup = response.content.decode()
        assert markup.count('data-reminder="') == min(2 * total, 25)
        assert 'data-superseded="moved"' in markup
        assert f'href="/reports/{report.pk}/"' in markup
        assert "#findings-heading" in markup
        assert "#extensions-heading" in markup
        assert f'href="/explanations/{explanation.pk}/"' in markup


def test_the_export_holds_every_page_of_ones_own_notifications_in_the_pages_order(
    client, officer, other_officer, assignment
):
    import csv
    import io
    import re

    for n in range(30):
        remind(officer, assignment, n=n)
    remind(other_officer, assignment, n=99)
    client.force_login(officer)
    url = reverse("notification_list")

    shown = []
    for page in (1, 2):
        markup = client.get(url, {"page": page}).content.decode()
        shown += [int(pk) for pk in re.findall(r'data-reminder="(\d+)"', markup)]
    assert "Tổng số 30 dòng" in markup and 'href="?page=1"' in markup
    response = client.get(url, {"export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[5:]
    expected = Reminder.objects.in_bulk(shown)
    assert len(rows) == len(shown) == 30
    assert [row[0] for row in rows] == [expected[pk].title for pk in shown]
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, user=officer).exists()
