"""The calendar feed as a calendar program reads it: parsed with icalendar, fetched without a
session through the secret address, holding each person's dates and no one else's.

The world is made through the services, as people would make it: the Party Office gives fixed
deadlines to an assignment of Nha Trang and one of Cam Ranh, and asks each body to explain an
overdue task; the 2026 annual period is open."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Body, SecurityEvent
from feeds.models import FeedToken
from feeds.selectors import UID_DOMAIN
from feeds.services import feed_token_reset
from indicators.services import explanation_request
from tasks.models import Assignment, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_decide, extension_request

pytestmark = pytest.mark.database

NHA_TRANG = "thanh-uy-nha-trang"
CAM_RANH = "thanh-uy-cam-ranh"


def deadline_uid(assignment) -> str:
    return f"assignment-{assignment.pk}-deadline@{UID_DOMAIN}"


def reports_uid(period, body) -> str:
    return f"period-{period.pk}-body-{body.pk}-reports@{UID_DOMAIN}"


def explanation_uid(request) -> str:
    return f"explanation-{request.pk}@{UID_DOMAIN}"


def address_of(user) -> str:
    """A new feed address for the person, as the page shows it (without the host)."""
    secret = feed_token_reset(user=user, acting_user=user)
    return reverse("calendar_feed", kwargs={"token": secret})


def events_of(response) -> dict[str, SimpleNamespace]:
    """The feed's events by UID, as a calendar program reads them."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in events, f"two events with UID {uid}"
        events[uid] = SimpleNamespace(
            day=event.decoded("DTSTART"),
            summary=str(event["SUMMARY"]),
            description=str(event["DESCRIPTION"]),
            url=str(event["URL"]),
        )
    return events


@pytest.fixture
def world(cast):
    today = timezone.localdate()
    reviewer = cast["reviewer"]
    nha_trang, cam_ranh = Body.objects.get(code=NHA_TRANG), Body.objects.get(code=CAM_RANH)
    own = Assignment.objects.get(item__key="III.1.b1.s2", body=nha_trang, role="implement_locally")
    overdue_own = Assignment.objects.get(
        item__key="III.10.b1", body=nha_trang, role="implement_locally"
    )
    others = list(
        Assignment.objects.filter(body=cam_ranh, role="implement_locally").order_by("pk")[:2]
    )
    for assignment, days in ((own, 60), (others[0], 90), (overdue_own, -5), (others[1], -5)):
        assignment_set_deadline(
            assignment=assignment,
            kind="fixed",
            deadline=today + timedelta(days=days),
            acting_user=reviewer,
            reason="Giao thời hạn",
        )
    for assignment in (own, overdue_own, *others):
        assignment.refresh_from_db()
    explanations = {
        body.code: explanation_request(
            assignment=assignment,
            question=f"Đề nghị {body.name} giải trình việc chậm tiến độ.",
            due_on=today + timedelta(days=10),
            acting_user=reviewer,
        )
        for body, assignment in ((nha_trang, overdue_own), (cam_ranh, others[1]))
    }
    return SimpleNamespace(
        today=today,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        planned=ReportingPeriod.objects.get(code="2027-6t"),
        nha_trang=nha_trang,
        cam_ranh=cam_ranh,
        own=own,
        overdue_own=overdue_own,
        other=others[0],
        other_overdue=others[1],
        explanations=explanations,
    )


def test_it_holds_each_bodys_dates_and_no_other_bodys(client, cast, world):
    mine = events_of(client.get(address_of(cast["officer"])))
    theirs = events_of(client.get(address_of(cast["other_officer"])))

    assert mine[deadline_uid(world.own)].day == world.own.deadline
    assert mine[deadline_uid(world.overdue_own)].day == world.today - timedelta(days=5)
    assert "Thành ủy Nha Trang" in mine[deadline_uid(world.own)].summary
    assert mine[deadline_uid(world.own)].url.endswith(
        reverse("assignment_detail", kwargs={"pk": world.own.pk})
    )
    explained = world.explanations[NHA_TRANG]
    assert mine[explanation_uid(explained)].day == explained.due_on
    assert "giải trình" in mine[explanation_uid(explained)].description
    due = mine[reports_uid(world.period, world.nha_trang)]
    assert due.day == world.period.due_on
    # Every Nha Trang assignment owing a report for the open period is listed under it.
    assert "III.1, gạch đầu dòng thứ 1, ý thứ 2" in due.description

    assert theirs[deadline_uid(world.other)].day == world.other.deadline
    assert explanation_uid(world.explanations[CAM_RANH]) in theirs
    assert reports_uid(world.period, world.cam_ranh) in theirs

    # Nothing of the other body's, and nothing of a period that is not open.
    assert all("Cam Ranh" not in e.summary for e in mine.values())
    assert all("Nha Trang" not in e.summary for e in theirs.values())
    assert set(mine).isdisjoint(theirs)
    assert all(e.day != world.planned.due_on for e in [*mine.values(), *theirs.values()])


def test_it_gives_the_party_office_every_body_and_narrows_to_one(client, cast, world):
    address = address_of(cast["reviewer"])
    everything = events_of(client.get(address))
    assert {
        deadline_uid(world.own),
        deadline_uid(world.other),
        explanation_uid(world.explanations[NHA_TRANG]),
        explanation_uid(world.explanations[CAM_RANH]),
        reports_uid(world.period, world.nha_trang),
        reports_uid(world.period, world.cam_ranh),
    } <= set(everything)

    cam_ranh = events_of(client.get(address, {"body": CAM_RANH}))
    assert deadline_uid(world.other) in cam_ranh
    assert deadline_uid(world.own) not in cam_ranh
    assert all("Cam Ranh" in e.summary for e in cam_ranh.values())
    assert set(cam_ranh) < set(everything)

    unknown = client.get(address, {"body": "khong-co-co-quan-nay"})
    assert unknown.status_code == 400
    assert "Không có cơ quan nào có mã này" in unknown.content.decode()


def test_it_moves_the_event_when_an_extension_is_approved(client, cast, world):
    address = address_of(cast["officer"])
    before = events_of(client.get(address))[deadline_uid(world.own)]
    later = world.own.deadline + timedelta(days=45)
    request = extension_request(
        assignment=world.own,
        proposed_deadline=later,
        reason="Chờ quy hoạch tỉnh",
        acting_user=cast["leader"],
    )
    extension_decide(request=request, approve=True, note="Đồng ý", acting_user=cast["reviewer"])

    after = events_of(client.get(address))
    assert before.day == world.own.deadline
    assert after[deadline_uid(world.own)].day == later
    assert [uid for uid in after if uid.startswith(f"assignment-{world.own.pk}-")] == [
        deadline_uid(world.own)
    ]
    assert world.own.deadline.strftime("%d/%m/%Y") in after[deadline_uid(world.own)].description


def test_it_drops_an_explanation_request_once_answered(client, cast, world):
    from indicators.services import explanation_answer

    address = address_of(cast["officer"])
    explained = world.explanations[NHA_TRANG]
    assert explanation_uid(explained) in events_of(client.get(address))
    explanation_answer(request=explained, answer="Đang tổng hợp.", acting_user=cast["officer"])
    assert explanation_uid(explained) not in events_of(client.get(address))


def test_a_new_address_stops_the_old_one(client, cast, world):
    officer = cast["officer"]
    old = address_of(officer)
    assert client.get(old).status_code == 200
    new = address_of(officer)

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    refused = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REFUSED).latest("pk")
    # A dead address opens nothing, so the log keeps it whole, to show what was tried.
    assert refused.path == old
    assert refused.detail == "calendar feed: no feed has this address"


def test_a_fetch_is_in_the_security_log_without_the_secret(client, cast, world):
    officer = cast["officer"]
    address = address_of(officer)
    events = events_of(client.get(address))

    fetch = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, user=officer).get()
    assert fetch.detail == f"calendar feed: {len(events)} events"
    assert "[token]" in fetch.path
    assert address.rsplit("/", 1)[1].removesuffix(".ics") not in fetch.path
    assert FeedToken.objects.get(user=officer).last_fetched_at is not None


def test_an_inactive_person_s_feed_answers_no_more(client, cast, world):
    officer = cast["officer"]
    address = address_of(officer)
    officer.is_active = False
    officer.save()
    assert client.get(address).status_code == 404


def test_the_page_shows_the_address_once_and_keeps_only_its_hash(client, cast, world, text_of):
    officer = cast["officer"]
    client.force_login(officer)
    page = client.get(reverse("calendar_feed_settings"))
    assert "Đồng chí chưa có lịch đăng ký." in text_of(page)

    made = client.post(reverse("calendar_feed_reset"))
    assert made.status_code == 200
    assert made["Cache-Control"] == "private, no-store"
    address = re.search(r'id="feed-address"[^>]* value="([^"]+)"', made.content.decode())[1]
    secret = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(secret) >= 43
    stored = FeedToken.objects.get(user=officer)
    assert secret not in stored.token_hash

    again = client.get(reverse("calendar_feed_settings"))
    assert secret not in again.content.decode()
    assert "Tạo địa chỉ mới" in text_of(again)

    client.logout()
    assert client.get(address.removeprefix("http://testserver")).status_code == 200

    client.force_login(officer)
    stopped = client.post(reverse("calendar_feed_stop"))
    assert stopped.status_code == 302
    client.logout()
    assert client.get(address.removeprefix("http://testserver")).status_code == 404


def test_it_shows_the_party_office_how_to_follow_one_body(client, cast, world, text_of):
    client.force_login(cast["reviewer"])
    assert "?body=" in text_of(client.get(reverse("calendar_feed_settings")))
    client.force_login(cast["officer"])
    assert "?body=" not in text_of(client.get(reverse("calendar_feed_settings")))


def _more_rows(cast, world) -> None:
    """Many more assignments, with deadlines, owing reports, and explanations to give."""
    from tasks.services.grants import assignment_grants_sync

    assignment_grants_sync()
    for assignment in Assignment.objects.filter(
        item__key__startswith="III.11.", role__in=Assignment.REPORTING_ROLES
    ):
        assignment_set_deadline(
            assignment=assignment,
            kind="fixed",
            deadline=world.today + timedelta(days=assignment.pk % 50 - 10),
            acting_user=cast["reviewer"],
            reason="Giao thời hạn",
        )
    for assignment in Assignment.objects.filter(
        item__key__startswith="III.11.", body=world.nha_trang
    )[:5]:
        if assignment.effective_deadline < world.today:
            explanation_request(
                assignment=assignment,
                question="Giải trình",
                due_on=world.today + timedelta(days=3),
                acting_user=cast["reviewer"],
            )


@pytest.mark.parametrize(
    ("role", "query"), [("officer", {}), ("reviewer", {}), ("reviewer", {"body": NHA_TRANG})]
)
def test_it_reads_the_feed_in_a_fixed_number_of_queries(
    client, cast, world, grow_programme, role, query
):
    address = address_of(cast[role])
    with CaptureQueriesContext(connection) as few_queries:
        few = events_of(client.get(address, query))
    grow_programme()
    _more_rows(cast, world)
    with CaptureQueriesContext(connection) as many_queries:
        many = events_of(client.get(address, query))

    assert len(many) > len(few) + 30
    assert len(many_queries) == len(few_queries) <= 12, [q["sql"] for q in many_queries]
