"""When a person last looked at their desk: what is new to them starts at the end of their
previous visit, and stays the same while they keep coming back within the hour."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from desk.models import DeskVisit
from desk.services import FIRST_VISIT_REACH, VISIT_GAP, visit_record

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOON = datetime(2026, 12, 2, 12, tzinfo=HCM)


def test_it_reaches_back_thirty_days_on_the_first_visit(supervisor):
    since = visit_record(acting_user=supervisor, at=NOON)

    assert since == NOON - FIRST_VISIT_REACH
    visit = DeskVisit.objects.get(user=supervisor)
    assert (visit.visited_at, visit.since) == (NOON, since)


def test_it_keeps_what_is_new_while_the_visit_goes_on(supervisor):
    first = visit_record(acting_user=supervisor, at=NOON)

    # Coming back within the hour, again and again: one visit.
    again = visit_record(acting_user=supervisor, at=NOON + VISIT_GAP - timedelta(minutes=1))
    later = visit_record(acting_user=supervisor, at=NOON + VISIT_GAP + timedelta(minutes=30))

    assert first == again == later
    assert DeskVisit.objects.get(user=supervisor).visited_at == NOON + VISIT_GAP + timedelta(
        minutes=30
    )


def test_it_starts_from_the_previous_visit_after_a_pause(supervisor):
    visit_record(acting_user=supervisor, at=NOON)

    since = visit_record(acting_user=supervisor, at=NOON + timedelta(days=1))

    assert since == NOON
    assert DeskVisit.objects.filter(user=supervisor).count() == 1


def test_it_keeps_one_visit_per_person(supervisor, reviewer):
    visit_record(acting_user=supervisor, at=NOON)
    visit_record(acting_user=reviewer, at=NOON + timedelta(hours=3))

    assert dict(DeskVisit.objects.values_list("user__username", "visited_at")) == {
        supervisor.username: NOON,
        reviewer.username: NOON + timedelta(hours=3),
    }
