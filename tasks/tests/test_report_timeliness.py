"""The report page marks a late report "sent late", with how many days, and says beside it
whether it was accepted; a returned report counts from its first submission; a draft is not
sent, so it is not judged."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from .test_dashboards import accept, build_cycle, in_english, submit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=HCM), tick=False) as traveller:
        yield traveller


def timeliness(client, report) -> str:
    response = client.get(reverse("report_detail", args=[report.pk]))
    assert response.status_code == 200
    found = response.content.decode().split('<p class="report-timeliness"')
    return found[1].split("</p>")[0] if len(found) > 1 else ""


def test_it_marks_a_late_report_with_its_days_and_whether_it_was_accepted(
    client, cast, clock, text_of
):
    cycle = build_cycle(cast)
    in_english(client)
    client.force_login(cast["leader"])
    assert timeliness(client, cycle.draft) == ""  # a draft is not sent

    clock.move_to(datetime(2026, 12, 2, 9, tzinfo=HCM))  # two days past 30/11/2026
    client.force_login(cast["leader"])  # the session of a week ago has expired
    late = submit(cycle.draft, cast["leader"])
    marker = timeliness(client, late)
    assert 'data-reporting-status="sent_late"' in marker
    shown = text_of(marker.split(">", 1)[1])
    assert "Sent late 2 days after the due date · due 30/11/2026 · not yet accepted" in shown

    accept(late, cast["reviewer"])
    client.force_login(cast["reviewer"])
    assert text_of(timeliness(client, late).split(">", 1)[1]).endswith("· accepted")


def test_it_counts_a_returned_report_from_its_first_submission(client, cast, clock, text_of):
    cycle = build_cycle(cast)  # the returned report was first sent on 25/11
    clock.move_to(datetime(2026, 12, 2, 9, tzinfo=HCM))
    in_english(client)
    client.force_login(cast["leader"])

    resubmitted = submit(cycle.returned, cast["leader"])

    shown = text_of(timeliness(client, resubmitted).split(">", 1)[1])
    assert shown == "Sent on time · due 30/11/2026 · not yet accepted"
