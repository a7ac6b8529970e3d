"""The sweep's reads do not grow with the number of assignments: a longer programme is swept
in the same queries, and only the inserts of the reminders themselves come in batches where
the database limits a statement's size."""

from datetime import datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from notifications.models import Reminder
from notifications.services import reminders_sweep
from tasks.models import ReportingPeriod

from .test_sweep import member

pytestmark = pytest.mark.database


@pytest.fixture
def officer_of_nha_trang(reference_data, db):
    from accounts.services import role_groups_sync

    role_groups_sync()
    return member("cb.nt", "thanh-uy-nha-trang", Role.OFFICER)


def sweep_queries(now) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as captured:
        result = reminders_sweep(now=now)
    return [q["sql"] for q in captured.captured_queries], result.sent


def test_a_longer_programme_is_swept_in_the_same_queries(officer_of_nha_trang, grow_programme):
    period = ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")
    due = timezone.make_aware(datetime.combine(period.due_on, time(8)))

    small, small_sent = sweep_queries(due)
    Reminder.objects.all().delete()
    grow_programme(bullets=60)
    large, large_sent = sweep_queries(due)

    # The officer of Thành ủy Nha Trang carries out every added task locally.
    assert large_sent > small_sent + 60

    def reads_and_updates(queries):
        return [q for q in queries if not q.lstrip().upper().startswith("INSERT")]

    assert len(reads_and_updates(large)) == len(reads_and_updates(small))
    if connection.vendor == "postgresql":
        assert len(large) == len(small)
