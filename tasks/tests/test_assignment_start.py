"""A part delegated later is in force from the day it was delegated, and owes no report for a
period whose reports were due before it existed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Body
from tasks.models import Assignment, ReportingPeriod
from tasks.reporting import owing_assignments
from tasks.services.assignments import assignment_delegate

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_part_delegated_in_march_2025_owes_from_the_periods_due_after(cast):
    lead = Assignment.objects.get(
        item__key="III.6.b1", body__code="ban-can-su-dang-ubnd-tinh", role="lead"
    )
    leader = cast["leader"]
    with time_machine.travel(datetime(2025, 3, 10, 9, tzinfo=HANOI), tick=False):
        part = assignment_delegate(
            assignment=lead,
            body=Body.objects.get(code="so-cong-thuong"),
            note="Phần việc của Sở",
            acting_user=_leader_of(lead.body, leader),
        )
    assert part.starts_on == date(2025, 3, 10)

    def owes(code: str) -> bool:
        period = ReportingPeriod.objects.get(programme__code="nq23", code=code)
        return owing_assignments(
            period, today=date(2026, 12, 3), assignments=Assignment.objects.filter(pk=part.pk)
        ).exists()

    assert not owes("2024-nam")  # due 30/11/2024, before the part existed
    assert owes("2025-6t")
    assert owes("2025-nam")


def _leader_of(body, someone):
    from accounts.models import Role
    from accounts.services import membership_grant

    membership_grant(
        user=someone, body=body, role=Role.objects.get(code=Role.LEADER), acting_user=None,
        reason="test",
    )  # fmt: skip
    return type(someone).objects.get(pk=someone.pk)
