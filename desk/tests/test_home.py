"""The desk at "/": each role's queue, most urgent first, each entry one click from where
the person acts; every count equal to the rows behind it and to the compliance overview's;
nothing another body drafted; a fixed number of queries however many rows.

The world (support.build_world) is made through the services from 25/11/2026 and looked at on
02/12/2026, two days after the annual period's reports were due."""

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from tasks.models import Assignment
from tasks.tests.test_dashboards import DRAFT_TEXT, accept, grow, listed, member

from .support import FRONT, UBND, at

pytestmark = pytest.mark.database

COUNT = re.compile(r'<a href="([^"]+)" data-count="([a-z_]+)" data-n="(\d+)"')
QUEUE = re.compile(r'<a href="#([a-z-]+)" data-queue="([a-z_]+)" data-n="(\d+)"')


def desk(client, user, *, language: str = "en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def part(markup: str, element_id: str) -> str:
    """The element with the id, up to the end of its section."""
    start = markup.index(f'id="{element_id}"')
    return markup[start : markup.index("</section>", start)]


def counts(markup: str) -> list[tuple[str, str, int]]:
    """(url, what is counted, number) for every count on the desk that links to its rows."""
    return [(html.unescape(url), kind, int(n)) for url, kind, n in COUNT.findall(markup)]


def rows(markup: str, kind: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'<tr data-{kind}="(\d+)">', markup)]


# The Party Office reviewer


def test_it_shows_the_reviewer_the_reports_waiting_oldest_first_with_days_waiting(
    client, cast, world, text_of
):
    markup = desk(client, cast["reviewer"])

    waiting = part(markup, "queue-waiting")
    assert rows(waiting, "report") == [world.waiting_on_time.pk, world.waiting_late.pk]
    lines = [text_of(row) for row in waiting.split("</tr>")[1:-1]]
    assert lines[0].startswith("III.1, bullet 1 ") and lines[0].endswith("25/11/2026 7 days")
    assert lines[1].startswith("III.2, bullet 1 ") and lines[1].endswith("01/12/2026 1 day")
    for report in (world.waiting_on_time, world.waiting_late):
        assert reverse("report_detail", args=[report.pk]) in waiting
    # Returned, accepted and draft reports wait for someone else, or for no one.
    for report in (world.cycle.returned, world.cycle.accepted, world.cycle.draft):
        assert reverse("report_detail", args=[report.pk]) not in markup


def test_it_lists_what_else_waits_for_the_reviewer_one_click_from_where_they_act(
    client, cast, world, text_of
):
    markup = desk(client, cast["reviewer"])

    decide = reverse("extension_decide", args=[world.extension.pk])
    close = reverse("explanation_detail", args=[world.explanation.pk])
    review = reverse("figure_detail", args=[world.figure.pk])
    assert rows(part(markup, "queue-extensions"), "extension") == [world.extension.pk]
    assert decide in part(markup, "queue-extensions")
    assert rows(part(markup, "queue-explanations"), "explanation") == [world.explanation.pk]
    assert close in part(markup, "queue-explanations")
    assert rows(part(markup, "queue-figures"), "figure") == [world.figure.pk]
    assert review in part(markup, "queue-figures")
    # One click away is the page where the reviewer acts on each.
    assert '<form method="post"' in client.get(decide).content.decode()
    assert (
        reverse("explanation_close", args=[world.explanation.pk])
        in client.get(close).content.decode()
    )
    assert reverse("figure_accept", args=[world.figure.pk]) in client.get(review).content.decode()
    report = reverse("report_detail", args=[world.waiting_on_time.pk])
    assert (
        reverse("report_accept", args=[world.waiting_on_time.pk])
        in client.get(report).content.decode()
    )


def test_it_sums_up_the_reviewers_queue_as_the_rows_below_it(client, cast, world):
    markup = desk(client, cast["reviewer"])

    summary = {kind: (anchor, n) for anchor, kind, n in QUEUE.findall(markup)}
    assert [kind for kind in summary] == [
        "waiting",
        "extensions",
        "explanations",
        "figures",
        "overdue_bodies",
        "overdue_work",
    ]
    for kind, shown in [
        ("waiting", "report"),
        ("extensions", "extension"),
        ("explanations", "explanation"),
        ("figures", "figure"),
    ]:
        anchor, n = summary[kind]
        assert int(n) == len(rows(part(markup, anchor), shown)), kind
    anchor, n = summary["overdue_bodies"]
    assert int(n) == len(re.findall(r'<tr data-body="', part(markup, anchor)))
    anchor, n = summary["overdue_work"]
    work = [c for c in counts(markup) if c[1] == "overdue_work"]
    assert work and int(n) == work[0][2]


def test_it_counts_as_the_compliance_overview_counts(client, cast, world):
    period = world.cycle.period
    markup = desk(client, cast["reviewer"])
    overview = client.get(reverse("compliance_overview"), {"period": period.pk}).content.decode()

    overall = overview[overview.index('id="overall-counts"') :].split("</table>")[0]
    overdue_work = next(n for _u, kind, n in counts_of(overall) if kind == "overdue")
    desk_work = next(n for _u, kind, n in counts(markup) if kind == "overdue_work")
    assert desk_work == overdue_work == 2

    by_body = overview[overview.index('id="reporting-by-body"') :].split("</table>")[0]
    overview_owing = {}
    for row in by_body.split("<tr>")[2:]:
        body = re.search(r'href="/bodies/([^/]+)/"', row).group(1)
        n = next(n for _u, kind, n in counts_of(row) if kind == "reporting_overdue")
        if n:
            overview_owing[body] = n
    table = re.search(
        rf'<table class="data-table" data-period="{period.pk}">(.*?)</table>', markup, re.S
    )
    desk_owing = {
        body: int(n)
        for body, n in re.findall(
            r'<tr data-body="([^"]+)">.*?data-count="overdue_reports" data-n="(\d+)"',
            table.group(1),
            re.S,
        )
    }
    assert desk_owing == overview_owing
    assert desk_owing["thanh-uy-nha-trang"] == 1  # the draft; the returned report was sent
    assert UBND in desk_owing and "thanh-uy-cam-ranh" not in desk_owing


def counts_of(markup: str) -> list[tuple[str, str, int]]:
    """The compliance overview's own count links."""
    pattern = re.compile(r'<a href="([^"]+)" data-count="([a-z_]+)">(\d+)</a>')
    return [(html.unescape(url), kind, int(n)) for url, kind, n in pattern.findall(markup)]


@pytest.mark.parametrize("role", ["reviewer", "supervisor", "standing_member"])
def test_it_links_every_count_to_exactly_the_rows_behind_it(client, cast, world, role):
    markup = desk(client, cast[role])

    checked = 0
    for url, kind, number in counts(markup):
        assert len(listed(client, url)) == number, (kind, url)
        checked += 1
    assert checked >= {"reviewer": 4, "supervisor": 3, "standing_member": 10}[role]


def test_it_shows_the_reviewer_no_overdue_report_before_the_due_date(client, cast, world, clock):
    clock.move_to(at(world.cycle.period.due_on))

    markup = desk(client, cast["reviewer"])

    assert 'data-count="overdue_reports' not in markup
    assert "none is overdue yet" in part(markup, "queue-overdue-reports")


# The supervisor


def test_it_shows_the_supervisor_what_was_accepted_since_with_its_open_findings(
    client, cast, world, text_of
):
    markup = desk(client, cast["supervisor"])

    accepted = part(markup, "queue-accepted")
    cycle = world.cycle
    assert rows(accepted, "report") == [cycle.accepted.pk, cycle.late.reports.get().pk]
    supervision = Assignment.objects.get(
        item=cycle.on_time.item, body__code=FRONT, role=Assignment.Role.SUPERVISE
    )
    line = accepted[accepted.index(f'<tr data-report="{cycle.accepted.pk}">') :]
    line = line[: line.index("</tr>")]
    assert reverse("report_detail", args=[cycle.accepted.pk]) in line
    assert reverse("assignment_detail", args=[supervision.pk]) in line
    assert "1 open finding" in text_of(line)


def test_it_shows_the_supervisor_only_what_is_new_since_its_last_visit(client, cast, world, clock):
    desk(client, cast["supervisor"])
    # Back within the hour: the same visit, the same list.
    clock.move_to(at(world.cycle.period.due_on + timedelta(days=2), hour=9) + timedelta(minutes=30))
    again = desk(client, cast["supervisor"])
    assert len(rows(part(again, "queue-accepted"), "report")) == 2

    clock.move_to(at(world.cycle.period.due_on + timedelta(days=2), hour=14))
    accept(world.waiting_on_time, cast["reviewer"])
    clock.move_to(at(world.cycle.period.due_on + timedelta(days=3), hour=8))
    later = desk(client, cast["supervisor"])

    assert rows(part(later, "queue-accepted"), "report") == [world.waiting_on_time.pk]


def test_it_tells_a_supervisor_when_nothing_was_accepted_since(client, cast, world, clock):
    desk(client, cast["supervisor"])
    clock.move_to(at(world.cycle.period.due_on + timedelta(days=5)))

    markup = desk(client, cast["supervisor"], language="en")

    assert rows(part(markup, "queue-accepted"), "report") == []
    assert "No report has been accepted on what you supervise since your last visit." in markup


# The Standing Committee member


def test_it_shows_the_standing_member_the_programme_at_a_glance(client, cast, world, text_of):
    from indicators.selectors import indicator_rows
    from programme.models import Programme
    from tests.reports_support import kept_report

    kept = kept_report("standing_committee")
    kept_report("body", "thanh-uy-nha-trang")
    markup = desk(client, cast["standing_member"])

    status = part(markup, "glance-status")
    four_way = {kind: n for _u, kind, n in counts(status)}
    overview = client.get(reverse("compliance_overview")).content.decode()
    overall = overview[overview.index('id="overall-counts"') :].split("</table>")[0]
    assert four_way == {kind: n for _u, kind, n in counts_of(overall) if kind != "due_soon"}
    assert "<svg" in status and "III.10" in status

    reporting = part(markup, "glance-reporting")
    assert world.cycle.period.name in text_of(reporting)
    by_status = {kind: n for _u, kind, n in counts(reporting)}
    # Sent on time: Nha Trang's returned report (first sent 25/11), Cam Ranh's two accepted and
    # the People's Committee's first; sent late: its second, on 01/12.
    assert by_status["reporting_sent_on_time"] == 4
    assert by_status["reporting_sent_late"] == 1
    assert by_status["reporting_not_due"] == 0
    owing = Assignment.objects.reporting().filter(cancelled_on__isnull=True).count()
    assert by_status["reporting_overdue"] == owing - 5
    assert 'data-segment="overdue"' in reporting

    indicators = part(markup, "glance-indicators")
    verdicts = dict(re.findall(r'data-indicator="([^"]+)" data-verdict="([^"]+)"', indicators))
    expected = indicator_rows(programme=Programme.objects.get(code="nq23"))
    assert verdicts == {row.target.code: row.assessment.verdict for row in expected}

    assert rows(part(markup, "queue-overdue-work"), "assignment") == [
        world.cycle.overdue.pk,
        world.cycle.due_soon.pk,
    ]
    reports = part(markup, "glance-reports")
    assert reverse("generated_report_detail", args=[kept.pk]) in reports
    assert len(re.findall("data-generated-report=", reports)) == 1


# Officers and leaders, several roles, administrators, no role


def test_it_shows_an_officer_the_agency_home_with_its_own_draft(client, cast, world, text_of):
    markup = desk(client, cast["officer"])

    assert 'id="attention-heading"' in markup
    assert reverse("report_detail", args=[world.cycle.draft.pk]) in markup
    assert 'data-role="reviewer"' not in markup and 'data-role="supervisor"' not in markup


def test_it_shows_a_person_of_several_roles_each_roles_queue(client, cast, world, text_of):
    from accounts.models import Body, Role
    from accounts.services import membership_grant

    membership_grant(
        user=cast["leader"],
        body=Body.objects.get(code=FRONT),
        role=Role.objects.get(code="supervisor"),
        acting_user=None,
        reason="test",
    )

    markup = desk(client, cast["leader"])

    assert 'data-role="agency"' in markup and 'data-role="supervisor"' in markup
    page = text_of(markup)
    assert "My body's work" in page and "Supervision" in page
    assert 'href="#role-agency"' in markup and 'href="#role-supervisor"' in markup
    assert 'id="queue-accepted"' in markup and 'id="attention-heading"' in markup


def test_it_gives_an_administrator_of_no_other_role_a_short_admin_home(
    client, cast, world, text_of
):
    markup = desk(client, cast["administrator"])

    assert 'data-role="administrator"' in markup
    assert reverse("admin:index") in markup and reverse("lockout_list") in markup
    assert "Sign-in lockouts: 0 in force" in text_of(markup)


def test_it_tells_someone_of_no_role_so(client, db, reference_data, text_of):
    from accounts.models import User

    nobody = User.objects.create_user("khach", password="mat-khau-thu-nghiem-2026")

    page = text_of(desk(client, nobody))

    assert "You hold no role in any body, so no work waits for you here." in page
    assert "data-role=" not in page


def test_it_speaks_vietnamese_first(client, cast, world, text_of):
    page = text_of(desk(client, cast["reviewer"], language="vi"))

    for words in (
        "Bàn làm việc",
        "Báo cáo chờ xem xét",
        "Đề nghị gia hạn chờ quyết định",
        "Giải trình chờ kết thúc",
        "Số liệu chờ xem xét",
        "7 ngày",
    ):
        assert words in page, words


# What no one may see


@pytest.mark.parametrize(
    "role", ["reviewer", "supervisor", "standing_member", "other_officer", "administrator"]
)
def test_it_never_shows_another_bodys_draft(client, cast, world, role):
    markup = desk(client, cast[role])

    assert reverse("report_detail", args=[world.cycle.draft.pk]) not in markup
    assert DRAFT_TEXT not in markup
    if role == "other_officer":
        for pk in Assignment.objects.filter(body__code="thanh-uy-nha-trang").values_list(
            "pk", flat=True
        ):
            assert reverse("assignment_detail", args=[pk]) not in markup


def test_it_shows_a_supervisor_only_what_it_supervises(client, cast, world, grow_programme):
    """The seed's supervisors each supervise every task; a body of the grown programme
    supervises only the tasks of its new group, III.11."""
    from tasks.services.grants import assignment_grants_sync
    from tasks.tests.test_dashboards import set_deadline

    grow_programme(bullets=3)
    assignment_grants_sync()
    supervisor = member("giamsat.moi", "co-quan-moi-4", "supervisor")
    supervised = Assignment.objects.get(
        item__key="III.11.b2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    set_deadline(supervised, at(world.cycle.period.due_on).date(), cast["reviewer"])

    markup = desk(client, supervisor)

    assert rows(part(markup, "queue-overdue-work"), "assignment") == [supervised.pk]
    assert reverse("assignment_detail", args=[world.cycle.overdue.pk]) not in markup
    owing = re.findall(r'<tr data-body="([^"]+)">', part(markup, "queue-overdue-reports"))
    assert owing and UBND not in owing


# Queries


@pytest.mark.parametrize(
    "role", ["officer", "leader", "reviewer", "supervisor", "standing_member", "administrator"]
)
def test_it_builds_each_roles_desk_in_a_fixed_number_of_queries(
    client, cast, world, grow_programme, django_assert_max_num_queries, role
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast[role])

    client.get(reverse("home"))  # warms the caches: the count is of the steady state
    with CaptureQueriesContext(connection) as few:
        first = client.get(reverse("home"))
    grow(grow_programme, cast, world.cycle)
    member("lanhdao.moi", "co-quan-moi-1", "leader")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as many:
        second = client.get(reverse("home"))

    assert first.status_code == second.status_code == 200
    assert len(few) == len(many) <= 12, (len(few), len(many))
    if role != "administrator":
        assert first.content != second.content
