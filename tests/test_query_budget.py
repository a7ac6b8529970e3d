"""Each main page is built in at most twelve queries, and in the same number whatever the amount
of data: measured with some of everything the page shows, then again after the programme has
grown (more tasks, bodies and assignments) and more reports, reminders and generated reports
have been written. A page whose count grows with the data has a query in a loop; the benchmark
(bench/pages.py) reports the same counts at the scale of a province."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Body
from notifications.services import reminders_sweep
from programme.models import Programme
from reports.models import GeneratedReportKind
from reports.services import generated_report_record
from tasks.models import Assignment, ProgressReport, ReportingPeriod, ReportState

pytestmark = pytest.mark.database

BUDGET = 12

# (who looks, the page, what it is about)
PAGES = [
    ("officer", "home", None),
    ("reviewer", "compliance_overview", None),
    ("reviewer", "assignment_list", None),
    ("officer", "progress_report_list", None),
    ("reviewer", "progress_report_list", None),
    ("officer", "assignment_detail", "assignment"),
    ("officer", "programme_detail", "programme"),
    ("officer", "notification_list", None),
    ("reviewer", "generated_report_list", None),
]

_serial = count(1)


def officers_work():
    """The reporting assignments of the officer's body (Thành ủy Nha Trang), in order."""
    return list(
        Assignment.objects.filter(body__code="thanh-uy-nha-trang", cancelled_on__isnull=True)
        .reporting()
        .select_related("item")
        .order_by("pk")
    )


def write_more(cast, *, rounds: int) -> None:
    """More of what the pages show, written as the product writes it (each row with its
    history): per round, an accepted report on each of the body's tasks in one more period,
    a task falling due tomorrow (and so a reminder, through the real sweep), and two more
    generated reports."""
    programme = Programme.objects.get(code="nq23")
    periods = list(ReportingPeriod.objects.filter(programme=programme).order_by("starts_on"))
    work = officers_work()
    tomorrow = timezone.localdate() + timedelta(days=1)
    for _ in range(rounds):
        n = next(_serial)
        period = periods[n % len(periods)]
        for assignment in work:
            if ProgressReport.objects.filter(assignment=assignment, period=period).exists():
                continue
            submitted = timezone.now() - timedelta(days=30)
            ProgressReport.objects.create(
                assignment=assignment,
                period=period,
                state=ReportState.ACCEPTED,
                result=f"Kết quả lần {n}.",
                percent_complete=min(100, 10 * n),
                drafted_by=cast["officer"],
                submitted_by=cast["leader"],
                submitted_at=submitted,
                reviewed_by=cast["reviewer"],
                reviewed_at=submitted + timedelta(days=1),
            )
        due = work[n % len(work)]
        due.deadline_kind, due.deadline = "fixed", tomorrow
        due._change_reason = "test"
        due.save()
        for kind, body in (
            (GeneratedReportKind.STANDING_COMMITTEE, None),
            (GeneratedReportKind.BODY, Body.objects.get(code="thanh-uy-nha-trang")),
        ):
            generated_report_record(
                kind=kind,
                programme=programme,
                period=period,
                body=body,
                requested_by=cast["reviewer"],
            )
    reminders_sweep(now=timezone.now())


def url_of(name: str, about: str | None) -> str:
    if about == "assignment":
        return reverse(name, args=[officers_work()[0].pk])
    if about == "programme":
        return reverse(name, args=["nq23"])
    return reverse(name)


def queries_for(client, url: str, django_assert_max_num_queries) -> tuple[int, bytes]:
    client.get(url)  # a first request fills what a worker keeps between requests
    with django_assert_max_num_queries(10_000) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response.content


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "about"), PAGES, ids=[p[1] for p in PAGES])
def test_it_builds_the_page_in_a_fixed_number_of_queries_within_the_budget(
    client, cast, grow_programme, django_assert_max_num_queries, role, name, about
):
    client.force_login(cast[role])
    write_more(cast, rounds=1)

    few, few_page = queries_for(client, url_of(name, about), django_assert_max_num_queries)
    grow_programme()
    write_more(cast, rounds=3)
    many, many_page = queries_for(client, url_of(name, about), django_assert_max_num_queries)

    assert many_page != few_page, "the larger data set should change what the page shows"
    assert (few, many) == (few, few), f"{name}: {few} queries, then {many} with more data"
    assert few <= BUDGET, f"{name}: {few} queries, over the budget of {BUDGET}"
