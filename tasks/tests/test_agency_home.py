"""The agency home at /my-work/: "overdue" counts overdue work and overdue reports apart, and
a leader sees their own queue (drafts to submit, returned reports, extension requests decided
lately). Dated: the annual period's report was due on 30/11/2026."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tasks.tests.test_dashboards import build_cycle, in_english

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def section(markup: str, heading_id: str) -> str:
    start = markup.index(f'id="{heading_id}"')
    end = markup.find("</section>", start)
    return markup[start:end]


@pytest.fixture(autouse=True)
def clock():
    """25/11/2026, before anyone is made members: memberships start on the day they are made."""
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def on_2_december(clock, cast):
    """The cycle made on 25/11/2026 (the returned report first sent then, on time), then the
    clock moved to 02/12/2026, two days past the annual period's due date."""
    cycle = build_cycle(cast)
    clock.move_to(datetime(2026, 12, 2, 9, tzinfo=HCM))
    return cycle


def test_it_counts_overdue_work_and_overdue_reports_apart(client, cast, on_2_december, text_of):
    cycle = on_2_december
    in_english(client)
    client.force_login(cast["officer"])

    markup = client.get(reverse("agency_home")).content.decode()

    attention = section(markup, "attention-heading")
    # Overdue work: III.10.b1 (its deadline ten days before 25/11) and III.1.b1.s2 (due on
    # 28/11).
    # Overdue reports: III.1.b1.s2 has only a draft for the annual period, due 30/11/2026;
    # III.10.b1's report was first sent on 25/11 and returned, so it is not overdue.
    assert 'data-overdue-work="2"' in attention
    assert 'data-overdue-reports="1"' in attention
    assert "Overdue: 2 past their deadline, 1 reports past their due date. Due soon: 0." in text_of(
        attention
    )
    work = text_of(attention[attention.index('id="attention-work"') :].split("</table>")[0])
    assert "III.10, bullet 1" in work and "17 days late" in work
    assert "III.1, bullet 1, sub-item 2" in work and "4 days late" in work
    reports = attention[attention.index('id="attention-reports"') :].split("</table>")[0]
    rows = [text_of(row) for row in reports.split("</tr>")[1:-1]]
    assert len(rows) == 1
    assert "III.1, bullet 1, sub-item 2" in rows[0]
    assert cycle.period.name in rows[0]
    assert "30/11/2026" in rows[0] and "2 days late" in rows[0] and "Report overdue" in rows[0]
    # The row leads to the body's own draft, where it can be finished.
    assert reverse("report_detail", args=[cycle.draft.pk]) in reports


def test_it_shows_reports_due_soon_before_the_due_date(client, cast):
    build_cycle(cast)
    in_english(client)
    client.force_login(cast["officer"])

    markup = client.get(reverse("agency_home")).content.decode()

    attention = section(markup, "attention-heading")
    assert 'data-overdue-reports="0"' in attention
    reports = attention[attention.index('id="attention-reports"') :].split("</table>")[0]
    assert "Report due soon" in reports and "5 days left" in reports


def test_it_shows_a_leader_the_drafts_to_submit_and_the_decisions_on_extensions(
    client, cast, on_2_december, text_of
):
    from tasks.services.extensions import extension_decide, extension_request

    cycle = on_2_december
    request = extension_request(
        assignment=cycle.due_soon,
        proposed_deadline=timezone.localdate() + timedelta(40),
        reason="Chờ quy hoạch",
        acting_user=cast["leader"],
    )
    extension_decide(
        request=request, approve=True, note="Đồng ý gia hạn", acting_user=cast["reviewer"]
    )
    in_english(client)
    client.force_login(cast["leader"])

    markup = client.get(reverse("agency_home")).content.decode()

    drafts = section(markup, "to-send-heading")
    assert "(1)" in text_of(drafts)
    assert reverse("report_detail", args=[cycle.draft.pk]) in drafts
    decided = text_of(section(markup, "decided-heading"))
    assert "III.1, bullet 1, sub-item 2" in decided
    assert "Approved" in decided and "Đồng ý gia hạn" in decided
    assert "02/12/2026" in decided
    # The returned report is in the leader's queue too.
    assert "Thiếu số liệu về cụm công nghiệp" in text_of(section(markup, "returned-heading"))
    # No longer pending, so not awaiting a decision.
    assert "No extension request is waiting." in text_of(section(markup, "extensions-heading"))


def test_it_keeps_the_leaders_queue_from_an_officer(client, cast, on_2_december):
    client.force_login(cast["officer"])

    markup = client.get(reverse("agency_home")).content.decode()

    assert 'id="to-send-heading"' not in markup
    assert 'id="decided-heading"' not in markup


def test_it_gives_the_desk_the_agency_work_to_include(cast, on_2_december):
    """The desk's home includes the agency work with the same context."""
    from django.template.loader import render_to_string

    from tasks.dashboards.agency import agency_home_page

    today = timezone.localdate()
    markup = render_to_string(
        "tasks/includes/agency_work.html",
        {
            "page": agency_home_page(user=cast["leader"], today=today),
            "today": today,
            "is_agency_member": True,
        },
    )

    assert 'id="attention-heading"' in markup and 'id="to-send-heading"' in markup
    assert "<h1" not in markup
