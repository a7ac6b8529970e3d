"""Reporting compliance on the pages: the compliance overview counts it by task group and by
body for a chosen period, each count linking to exactly its rows; the assignment list filters
by it; "overdue" counts overdue work and overdue reports apart. Dated: the cycle is made on
25/11/2026 and seen on 02/12/2026, two days after the annual period's due date."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tasks.models import Assignment
from tasks.reporting import owing_assignments

from .test_dashboards import build_cycle, count_links, in_english, listed, result_count

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 11, 25, 9, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def on_2_december(clock, cast):
    cycle = build_cycle(cast)
    clock.move_to(datetime(2026, 12, 2, 9, tzinfo=HCM))
    return cycle


def part(markup: str, start: str, end: str | None = None) -> str:
    begin = markup.index(start)
    return markup[begin : markup.index(end, begin) if end else None]


def test_it_counts_reporting_for_the_period_just_past_its_due_date(client, cast, on_2_december):
    cycle = on_2_december
    client.force_login(cast["reviewer"])

    markup = client.get(reverse("compliance_overview")).content.decode()

    reporting = part(markup, 'id="reporting"', "</section>")
    # By default: the annual period, whose due date (30/11/2026) has just passed.
    assert reverse("period_detail", args=[cycle.period.pk]) in reporting
    overall = dict(
        (kind, n)
        for _u, kind, n in count_links(part(reporting, 'id="reporting-overall"', "</table>"))
    )
    owing = Assignment.objects.reporting().filter(cancelled_on__isnull=True).count()
    # Sent by 30/11: Nha Trang's returned report (first sent on 25/11) and Cam Ranh's two.
    assert overall == {
        "reporting_sent_on_time": 3,
        "reporting_sent_late": 0,
        "reporting_not_due": 0,
        "reporting_overdue": owing - 3,
        "reporting_total": owing,
    }
    # "Overdue" says both, apart.
    overdue = part(markup, 'id="overdue"', "</section>")
    links = {kind: n for _u, kind, n in count_links(overdue)}
    assert links == {"reporting_overdue": owing - 3}
    heading = re.search(r'id="overdue-heading">[^(]*\((\d+)\)', overdue)
    overdue_work = Assignment.objects.filter(pk__in=[cycle.overdue.pk, cycle.due_soon.pk])
    assert int(heading.group(1)) == overdue_work.count() + owing - 3


def test_it_links_every_reporting_count_to_exactly_the_rows_behind_it(client, cast, on_2_december):
    client.force_login(cast["reviewer"])
    markup = client.get(reverse("compliance_overview")).content.decode()

    reporting = part(markup, 'id="reporting"', "</section>")
    by_group = part(reporting, 'id="reporting-by-group"', "</table>")
    by_body = part(reporting, 'id="reporting-by-body"', "</table>")
    groups = [row for row in by_group.split("<tr>") if re.search(r">III\.(1|10)</a>", row)]
    bodies = [
        row
        for row in by_body.split("<tr>")
        if "/bodies/thanh-uy-nha-trang/" in row or "/bodies/thanh-uy-cam-ranh/" in row
    ]
    assert len(groups) == len(bodies) == 2
    checked = 0
    for section in [part(reporting, 'id="reporting-overall"', "</table>"), *groups, *bodies]:
        for url, kind, number in count_links(section):
            rows = listed(client, url)
            assert len(rows) == number, (kind, url)
            assert len(set(rows)) == len(rows)
            assert result_count(client.get(url).content.decode()) == number
            checked += 1
    assert checked == 5 * 5


def test_the_list_filters_by_reporting_status_for_the_latest_period_due_by_default(
    client, cast, on_2_december, text_of
):
    cycle = on_2_december
    in_english(client)
    client.force_login(cast["officer"])

    markup = client.get(
        reverse("assignment_list"), {"reporting": ["sent_on_time", "sent_late"]}
    ).content.decode()

    # The returned report was first sent on 25/11: on time, though not accepted.
    assert [int(pk) for pk in re.findall(r'<tr data-assignment="(\d+)">', markup)] == [
        cycle.overdue.pk
    ]
    row = text_of(markup.split(f'<tr data-assignment="{cycle.overdue.pk}">')[1].split("</tr>")[0])
    assert "Not submitted (returned)" in row and "Sent on time" in row

    overdue = client.get(reverse("assignment_list"), {"reporting": "overdue"}).content.decode()
    expected = set(
        owing_assignments(cycle.period, today=cycle.period.due_on.replace(day=2, month=12))
        .filter(body__code="thanh-uy-nha-trang", reporting_status="overdue")
        .values_list("pk", flat=True)
    )
    assert {int(pk) for pk in re.findall(r'<tr data-assignment="(\d+)">', overdue)} == expected
    assert cycle.due_soon.pk in expected


def test_the_supervisor_sees_each_assignments_reporting_status_for_the_period_due(
    client, cast, on_2_december
):
    cycle = on_2_december
    in_english(client)
    client.force_login(cast["supervisor"])

    markup = client.get(reverse("supervision_overview")).content.decode()

    assert f"Report for {cycle.period.name}" in markup
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\"><a href=\"/assignments/(\d+)/\">(.*?)</tr>", markup, re.S
    )
    assert rows
    statuses = dict(
        owing_assignments(cycle.period, today=cycle.period.due_on.replace(day=2, month=12))
        .filter(pk__in=[int(pk) for pk, _ in rows])
        .values_list("pk", "reporting_status")
    )
    for pk, row in rows:
        assert f"tag--report-{statuses[int(pk)]}" in row, pk
