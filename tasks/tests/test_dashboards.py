"""The dashboards and the assignment list: the numbers equal the rows behind them, each user
sees only what the policy lets them see, and every page is built in a fixed number of
queries.

The cycle below is made through the services, as people would make it: the Party Office
sets deadlines, Nha Trang drafts, submits and is returned a report, Cam Ranh completes its
two assignments, one on time and one late."""

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.services.periods import period_open

pytestmark = pytest.mark.database

NHA_TRANG = "thanh-uy-nha-trang"
CAM_RANH = "thanh-uy-cam-ranh"
DRAFT_TEXT = "Dự thảo nội bộ của Thành ủy Nha Trang, chưa gửi"
RETURN_REASON = "Thiếu số liệu về cụm công nghiệp"

COUNT_LINK = re.compile(r'<a href="([^"]+)" data-count="([a-z_]+)">(\d+)</a>')
ROW = re.compile(r'<tr data-assignment="(\d+)">')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def in_english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def count_links(markup: str) -> list[tuple[str, str, int]]:
    """(url, what is counted, number) for every count that links to the rows behind it."""
    return [(html.unescape(url), kind, int(n)) for url, kind, n in COUNT_LINK.findall(markup)]


def listed(client, url: str) -> list[int]:
    """The ids of the assignments a filtered list shows, page after page."""
    ids = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        markup = response.content.decode()
        ids += [int(pk) for pk in ROW.findall(markup)]
        following = NEXT.search(markup)
        url = reverse("assignment_list") + html.unescape(following.group(1)) if following else None
    return ids


def result_count(markup: str) -> int:
    return int(re.search(r'id="result-count" data-count="(\d+)"', markup).group(1))


def member(username: str, body: str, role: str):
    from accounts.models import Body, Role, User
    from accounts.services import membership_grant

    user = User.objects.create_user(username, password="mat-khau-thu-nghiem-2026")
    membership_grant(
        user=user,
        body=Body.objects.get(code=body),
        role=Role.objects.get(code=role),
        acting_user=None,
        reason="test",
    )
    return User.objects.get(pk=user.pk)


def assignment_of(body: str, key: str) -> Assignment:
    return Assignment.objects.get(
        item__key=key, body__code=body, role__in=Assignment.REPORTING_ROLES
    )


def set_deadline(assignment: Assignment, day: date, reviewer) -> Assignment:
    from tasks.services.assignments import assignment_set_deadline

    return assignment_set_deadline(
        assignment=assignment,
        kind=Assignment.DeadlineKind.FIXED,
        deadline=day,
        acting_user=reviewer,
        reason="Theo kế hoạch của Tỉnh ủy",
    )


def draft(assignment, period, officer, *, text="Đã triển khai", completed=False):
    from tasks.services.reports import ReportData, document_cite, report_create

    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(
            result=text, percent_complete=100 if completed else 40, claims_completion=completed
        ),
        acting_user=officer,
    )
    if completed:
        document_cite(
            report=report,
            number="123/KH-UBND",
            issued_on=timezone.localdate() - timedelta(days=20),
            issuer="UBND thành phố",
            title="Kế hoạch thực hiện",
            acting_user=officer,
        )
    return report


def submit(report, leader):
    from tasks.services.reports import report_submit

    return report_submit(report=report, acting_user=leader)


def accept(report, reviewer):
    from tasks.services.reports import report_accept

    return report_accept(report=report, acting_user=reviewer)


def give_back(report, reviewer, reason=RETURN_REASON):
    from tasks.services.reports import report_return

    return report_return(report=report, reason=reason, acting_user=reviewer)


@dataclass
class Cycle:
    period: ReportingPeriod
    final: ReportingPeriod
    due_soon: Assignment  # Nha Trang, III.1.b1.s2: draft only
    overdue: Assignment  # Nha Trang, III.10.b1: submitted, then returned
    on_time: Assignment  # Cam Ranh, III.1.b1.s3: completed before its deadline
    late: Assignment  # Cam Ranh, III.10.b1: completed after its deadline
    in_progress: Assignment  # the People's Committee's lead on III.1.b1: far deadline
    draft: ProgressReport
    returned: ProgressReport
    accepted: ProgressReport
    cam_ranh_leader: object


def build_cycle(cast) -> Cycle:
    today = timezone.localdate()
    reviewer, officer, leader = cast["reviewer"], cast["officer"], cast["leader"]
    other_officer = cast["other_officer"]
    cam_ranh_leader = member("lanhdao.camranh", CAM_RANH, "leader")
    period = ReportingPeriod.objects.get(code="2026-nam")
    # Two periods open at once: the year's report and the final review.
    final = period_open(period=ReportingPeriod.objects.get(code="tong-ket"), acting_user=reviewer)
    assert period.is_open and final.is_open

    due_soon = set_deadline(assignment_of(NHA_TRANG, "III.1.b1.s2"), today + timedelta(3), reviewer)
    overdue = set_deadline(assignment_of(NHA_TRANG, "III.10.b1"), today - timedelta(10), reviewer)
    on_time = set_deadline(assignment_of(CAM_RANH, "III.1.b1.s3"), today + timedelta(60), reviewer)
    late = set_deadline(assignment_of(CAM_RANH, "III.10.b1"), today - timedelta(5), reviewer)
    in_progress = set_deadline(
        Assignment.objects.get(
            item__key="III.1.b1", body__code="ban-can-su-dang-ubnd-tinh", role="lead"
        ),
        today + timedelta(100),
        reviewer,
    )

    secret = draft(due_soon, period, officer, text=DRAFT_TEXT)
    returned = draft(overdue, period, officer)
    submit(returned, leader)
    give_back(returned, reviewer)
    accepted = draft(on_time, period, other_officer, completed=True)
    submit(accepted, cam_ranh_leader)
    accept(accepted, reviewer)
    completed_late = draft(late, period, other_officer, completed=True)
    submit(completed_late, cam_ranh_leader)
    accept(completed_late, reviewer)

    return Cycle(
        period=period,
        final=final,
        due_soon=Assignment.objects.get(pk=due_soon.pk),
        overdue=Assignment.objects.get(pk=overdue.pk),
        on_time=Assignment.objects.get(pk=on_time.pk),
        late=Assignment.objects.get(pk=late.pk),
        in_progress=Assignment.objects.get(pk=in_progress.pk),
        draft=ProgressReport.objects.get(pk=secret.pk),
        returned=ProgressReport.objects.get(pk=returned.pk),
        accepted=ProgressReport.objects.get(pk=accepted.pk),
        cam_ranh_leader=cam_ranh_leader,
    )


@pytest.fixture
def cycle(cast) -> Cycle:
    return build_cycle(cast)


def grow(grow_programme, cast, cycle: Cycle, n: int = 30) -> None:
    """Thirty more tasks for Nha Trang (and others), each with a report for the period: every
    page must then be built in as many queries as before."""
    from accounts.models import Body, User
    from programme.models import Item
    from tasks.services.grants import assignment_grants_sync

    grow_programme(bullets=n)
    front = Body.objects.get(code="uy-ban-mttq-tinh")
    for item in Item.objects.filter(key__startswith="III.11.b"):
        Assignment.objects.create(item=item, body=front, role=Assignment.Role.SUPERVISE)
    assignment_grants_sync()
    # Fresh users: the policy keeps each user's grants for the length of a request.
    officer, leader, reviewer = (
        User.objects.get(pk=cast[key].pk) for key in ("officer", "leader", "reviewer")
    )
    new = Assignment.objects.filter(item__key__startswith="III.11.", body__code=NHA_TRANG)
    for index, assignment in enumerate(new.order_by("pk")[:n]):
        report = draft(assignment, cycle.period, officer)
        if index % 2:
            submit(report, leader)
            if index % 4 == 1:
                accept(report, reviewer)


# The compliance overview


def test_it_counts_the_cycle_in_the_four_way_classification(client, cast, cycle, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])

    markup = client.get(reverse("compliance_overview")).content.decode()

    overall = markup[markup.index('id="overall-counts"') :]
    overall = overall[: overall.index("</table>")]
    counts = {kind: n for _url, kind, n in count_links(overall)}
    reporting = Assignment.objects.reporting().filter(cancelled_on__isnull=True)
    assert counts == {
        "completed_on_time": 1,
        "completed_late": 1,
        "in_progress": 2,
        "due_soon": 1,
        "overdue": 1,
        "ongoing": reporting.count() - 5,
        "total": reporting.count(),
    }
    page = text_of(markup)
    for label in (
        "Completed on time",
        "Completed late",
        "Not completed, within the deadline",
        "Not completed, overdue",
        "Recurring duty",
    ):
        assert label in page


def test_it_links_every_count_to_exactly_the_rows_behind_it(client, cast, cycle):
    client.force_login(cast["reviewer"])
    markup = client.get(reverse("compliance_overview")).content.decode()

    overall = markup[: markup.index('id="by-group"')]
    by_group = markup[markup.index('id="by-group"') : markup.index('id="by-body"')]
    by_body = markup[markup.index('id="by-body"') : markup.index('id="overdue"')]
    not_reported = markup[markup.index('id="not-reported"') :]
    rows_of = {
        re.search(r">(III\.1|III\.10)</a>", row).group(1): row
        for row in by_group.split("<tr>")
        if re.search(r">(III\.1|III\.10)</a>", row)
    }
    body_rows = [
        row
        for row in by_body.split("<tr>")
        if "/bodies/thanh-uy-nha-trang/" in row or "/bodies/thanh-uy-cam-ranh/" in row
    ]
    checked = 0
    for part in [overall, rows_of["III.1"], rows_of["III.10"], *body_rows, not_reported]:
        for url, kind, number in count_links(part):
            rows = listed(client, url)
            assert len(rows) == number, (kind, url)
            assert len(set(rows)) == len(rows)
            assert result_count(client.get(url).content.decode()) == number
            checked += 1
    assert checked >= 30


def test_it_pages_the_tables_by_body_and_links_each_count_to_its_rows(
    client, cast, cycle, monkeypatch
):
    import tasks.dashboards.compliance as compliance

    monkeypatch.setattr(compliance, "BODIES_PER_PAGE", 2)
    client.force_login(cast["reviewer"])
    url = reverse("compliance_overview")

    first = client.get(url).content.decode()
    overall_total = next(n for _u, kind, n in count_links(first) if kind == "total")
    by_body_totals, seen_bodies, page_number = 0, [], 1
    while True:
        markup = first if page_number == 1 else client.get(url, {"bodies": page_number}).content
        markup = markup if isinstance(markup, str) else markup.decode()
        by_body = markup[markup.index('id="by-body"') : markup.index('id="overdue"')]
        rows = [row for row in by_body.split("<tr>")[2:] if "/bodies/" in row]
        assert len(rows) <= 2
        seen_bodies += [re.search(r'href="(/bodies/[^"]+)"', row).group(1) for row in rows]
        for row in rows:
            for link, kind, number in count_links(row):
                assert len(listed(client, link)) == number, (kind, link)
                if kind == "total":
                    by_body_totals += number
        if 'rel="next"' not in by_body:
            break
        page_number += 1

    # Every body once, on some page, and together they count every assignment.
    assert page_number > 1
    assert len(seen_bodies) == len(set(seen_bodies))
    assert by_body_totals == overall_total


def test_it_answers_a_page_of_bodies_out_of_range_with_the_last(client, cast, cycle):
    client.force_login(cast["reviewer"])
    assert client.get(reverse("compliance_overview"), {"bodies": "999"}).status_code == 200
    assert client.get(reverse("compliance_overview"), {"bodies": "x"}).status_code == 200


def test_it_counts_the_task_groups_from_the_tasks_under_them(client, cast, cycle):
    client.force_login(cast["reviewer"])
    markup = client.get(reverse("compliance_overview")).content.decode()

    by_group = markup[markup.index('id="by-group"') : markup.index('id="by-body"')]
    totals = {}
    for row in by_group.split("<tr>")[2:]:
        key = re.search(r">(III\.\d+)</a>", row).group(1)
        totals[key] = {kind: n for _u, kind, n in count_links(row)}
    # III.1's first bullet has three regional sub-items; they count under III.1.
    iii_1 = Assignment.objects.reporting().filter(
        cancelled_on__isnull=True, item__key__startswith="III.1."
    )
    assert totals["III.1"]["total"] == iii_1.count()
    assert totals["III.1"]["completed_on_time"] == 1
    assert totals["III.10"]["completed_late"] == 1
    assert totals["III.10"]["overdue"] == 1
    assert sum(t["total"] for t in totals.values()) == (
        Assignment.objects.reporting().filter(cancelled_on__isnull=True).count()
    )


def test_it_lists_the_overdue_with_their_body_deadline_and_days_late(client, cast, cycle, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])

    markup = client.get(reverse("compliance_overview")).content.decode()

    overdue = markup[markup.index('id="overdue"') : markup.index('id="not-reported"')]
    deadline = cycle.overdue.deadline.strftime("%d/%m/%Y")
    assert reverse("assignment_detail", args=[cycle.overdue.pk]) in overdue
    row = text_of(overdue.split("</tr>")[1])
    assert row.startswith("III.10, bullet 1 ")
    assert row.endswith(f" Nha Trang City Party Committee {deadline} 10")
    assert reverse("assignment_detail", args=[cycle.late.pk]) not in overdue


def test_it_names_the_bodies_that_have_not_reported_for_the_chosen_period(
    client, cast, cycle, text_of
):
    client.force_login(cast["reviewer"])

    for period in (cycle.period, cycle.final):
        markup = client.get(reverse("compliance_overview"), {"period": period.pk}).content.decode()
        section = markup[markup.index('id="not-reported"') :]
        tables = dict(re.findall(r'data-period="(\d+)">(.*?)</table>', section, re.S))
        table = tables[str(period.pk)]
        # The draft and the returned report are not submitted.
        assert "/bodies/thanh-uy-nha-trang/" in table
        nha_trang = [row for row in table.split("<tr>") if "/bodies/thanh-uy-nha-trang/" in row]
        assert [n for _u, _k, n in count_links(nha_trang[0])] == [2]
        # Cam Ranh sent its reports for the year; it completed its work this year, within the
        # final review's span, so it still owes that review's report.
        cam_ranh = [row for row in table.split("<tr>") if "/bodies/thanh-uy-cam-ranh/" in row]
        assert [n for row in cam_ranh for _u, _k, n in count_links(row)] == (
            [] if period == cycle.period else [2]
        )


def test_it_shows_by_default_the_latest_period_past_its_due_date_or_else_the_open_one(
    client, cast, cycle
):
    from tasks.dashboards.base import period_list_all
    from tasks.reporting import default_period

    client.force_login(cast["reviewer"])

    markup = client.get(reverse("compliance_overview")).content.decode()

    expected = default_period(period_list_all(), today=timezone.localdate())
    section = markup[markup.index('id="not-reported"') :]
    assert re.findall(r'data-period="(\d+)"', section) == [str(expected.pk)]
    assert reverse("period_detail", args=[expected.pk]) in markup[markup.index('id="reporting"') :]


def test_it_shows_the_bodies_missing_reports_for_the_chosen_period(client, cast, cycle):
    client.force_login(cast["reviewer"])

    markup = client.get(
        reverse("compliance_overview"), {"period": cycle.period.pk}
    ).content.decode()

    section = markup[markup.index('id="not-reported"') :]
    assert re.findall(r'data-period="(\d+)"', section) == [str(cycle.period.pk)]
    assert f'<option value="{cycle.period.pk}" selected>' in markup


def test_it_refuses_the_compliance_overview_to_an_officer(client, cast):
    from accounts.models import SecurityEvent

    client.force_login(cast["officer"])

    response = client.get(reverse("compliance_overview"))

    assert response.status_code == 403
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.REFUSED, user=cast["officer"], path="/compliance/"
    ).exists()


@pytest.mark.parametrize("role", ["standing_member", "administrator"])
def test_it_shows_the_compliance_overview_to_those_who_read_everything(client, cast, role):
    client.force_login(cast[role])

    assert client.get(reverse("compliance_overview")).status_code == 200


# The agency home


def test_it_shows_an_officer_what_is_due_returned_and_to_submit(client, cast, cycle, text_of):
    from tasks.services.extensions import extension_request

    extension_request(
        assignment=cycle.due_soon,
        proposed_deadline=timezone.localdate() + timedelta(40),
        reason="Chờ quy hoạch",
        acting_user=cast["leader"],
    )
    in_english(client)
    client.force_login(cast["officer"])

    markup = client.get(reverse("agency_home")).content.decode()
    page = text_of(markup)

    attention = text_of(
        markup[markup.index('id="attention-heading"') : markup.index('id="submit-heading"')]
    )
    assert "III.1, bullet 1, sub-item 2" in attention and "3 days left" in attention
    assert "III.10, bullet 1" in attention and "10 days late" in attention
    submit_part = markup[
        markup.index('id="submit-heading"') : markup.index('id="returned-heading"')
    ]
    rows = [text_of(row) for row in submit_part.split("</tr>")[1:-1]]
    annual, final = cycle.period.name, cycle.final.name
    assert [(row.split(" ")[0:4], row.split(" … ")[1]) for row in rows] == [
        (["III.1,", "bullet", "1,", "sub-item"], f"{annual} 30/11/2026 Draft"),
        (["III.10,", "bullet", "1", "Nâng"], f"{annual} 30/11/2026 Returned"),
        (["III.1,", "bullet", "1,", "sub-item"], f"{final} 31/10/2030 No report yet"),
        (["III.10,", "bullet", "1", "Nâng"], f"{final} 31/10/2030 No report yet"),
    ]
    assert reverse("report_detail", args=[cycle.draft.pk]) in submit_part
    assert reverse("report_detail", args=[cycle.returned.pk]) in submit_part
    returned = text_of(
        markup[markup.index('id="returned-heading"') : markup.index('id="extensions-heading"')]
    )
    assert RETURN_REASON in returned
    extensions = markup[markup.index('id="extensions-heading"') :]
    assert reverse("assignment_detail", args=[cycle.due_soon.pk]) in extensions
    assert "Assignments of Nha Trang City Party Committee (2)" in page
    assert reverse("assignment_detail", args=[cycle.on_time.pk]) not in markup


def test_it_says_so_when_there_is_nothing_to_do(client, cast, text_of):
    from tasks.services.periods import period_close

    # With no period open, no report is owed: nothing is due, whatever the date.
    for period in ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN):
        period_close(period=period, acting_user=cast["reviewer"])
    in_english(client)
    client.force_login(cast["officer"])

    page = text_of(client.get(reverse("agency_home")))

    assert "Nothing is due soon or overdue." in page
    assert "No report has been returned to you." in page
    assert "No extension request is waiting." in page


def test_it_tells_someone_of_no_body_that_no_work_is_theirs(client, cast, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])

    page = text_of(client.get(reverse("agency_home")))

    assert "You are not an officer or leader of any body" in page
    assert "See the compliance overview" in page


def test_it_links_the_agency_home_counts_to_the_bodys_rows(client, cast, cycle):
    client.force_login(cast["leader"])
    markup = client.get(reverse("agency_home")).content.decode()

    links = count_links(markup)
    assert {kind for _u, kind, _n in links} >= {"overdue", "in_progress", "total"}
    for url, _kind, number in links:
        assert len(listed(client, url)) == number
    total = next(n for _u, kind, n in links if kind == "total")
    assert total == Assignment.objects.filter(body__code=NHA_TRANG).reporting().count()


# What another body and a supervisor may not see


def test_it_shows_a_cam_ranh_officer_none_of_nha_trangs_work(client, cast, cycle):
    client.force_login(cast["other_officer"])
    nha_trang = set(Assignment.objects.filter(body__code=NHA_TRANG).values_list("pk", flat=True))
    nha_trang_body = Assignment.objects.filter(body__code=NHA_TRANG).first().body

    everything = listed(client, reverse("assignment_list"))
    assert everything and not nha_trang & set(everything)
    assert set(
        Assignment.objects.filter(pk__in=everything).values_list("body__code", flat=True)
    ) == {CAM_RANH}
    assert listed(client, reverse("assignment_list") + f"?body={nha_trang_body.pk}") == []
    period_rows = listed(client, reverse("assignment_list") + f"?period={cycle.period.pk}")
    assert not nha_trang & set(period_rows)

    pages = [
        client.get(reverse("agency_home")).content.decode(),
        client.get(reverse("period_list")).content.decode(),
        client.get(reverse("period_detail", args=[cycle.period.pk])).content.decode(),
    ]
    for markup in pages:
        for pk in nha_trang:
            assert reverse("assignment_detail", args=[pk]) not in markup
        assert reverse("report_detail", args=[cycle.draft.pk]) not in markup
        assert DRAFT_TEXT not in markup
        assert "Thành ủy Nha Trang" not in markup
    for url, _kind, _number in count_links(pages[0]) + count_links(pages[2]):
        assert not nha_trang & set(listed(client, url))
    # Cam Ranh's two assignments, both completed with an accepted report for the period.
    detail = count_links(pages[2])
    assert {kind: n for _u, kind, n in detail} == {
        "expected": 2,
        "not_submitted": 0,
        "submitted": 0,
        "accepted": 2,
    }


def test_it_never_shows_a_supervisor_a_draft(client, cast, cycle, text_of):
    in_english(client)
    client.force_login(cast["supervisor"])
    draft_url = reverse("report_detail", args=[cycle.draft.pk])

    supervision = client.get(reverse("supervision_overview")).content.decode()
    period_list = client.get(
        reverse("assignment_list"), {"period": cycle.period.pk, "body": cycle.due_soon.body_id}
    ).content.decode()
    detail = client.get(reverse("period_detail", args=[cycle.period.pk])).content.decode()

    for markup in (supervision, period_list, detail):
        assert draft_url not in markup
        assert DRAFT_TEXT not in markup
        assert "(draft)" not in markup
    task = supervision[supervision.index("III.1, bullet 1, sub-item 2</a></h2>") :]
    task = task[: task.index("</section>")]
    due_soon_url = reverse("assignment_detail", args=[cycle.due_soon.pk])
    nha_trang_row = next(row for row in task.split("<tr>") if due_soon_url in row)
    assert "No report submitted yet" in text_of(nha_trang_row)
    row = next(r for r in period_list.split("<tr ")[1:] if f'"{cycle.due_soon.pk}"' in r)
    assert "Not submitted" in text_of(row)


def test_it_shows_the_supervisor_the_tasks_it_supervises(client, cast, cycle, text_of):
    in_english(client)
    client.force_login(cast["supervisor"])

    markup = client.get(reverse("supervision_overview")).content.decode()

    supervised = Assignment.objects.filter(body__code="uy-ban-mttq-tinh", role="supervise")
    assert markup.count('class="panel supervised-task"') == supervised.count()
    for supervision in supervised:
        assert reverse("finding_create", args=[supervision.pk]) in markup
    task = markup[markup.index("III.1, bullet 1, sub-item 3</a></h2>") :]
    task = task[: task.index("</section>")]
    assert reverse("report_detail", args=[cycle.accepted.pk]) in task
    assert "Completed on time" in text_of(task)
    assert cycle.period.name in text_of(task)


def test_it_refuses_the_supervision_page_to_one_who_does_not_supervise(client, cast):
    client.force_login(cast["officer"])

    assert client.get(reverse("supervision_overview")).status_code == 403


# The assignment list


def test_it_filters_by_status_group_body_role_and_programme(client, cast, cycle):
    from programme.models import Item, Programme

    client.force_login(cast["reviewer"])
    group = Item.objects.get(key="III.10")
    programme = Programme.objects.get(code="nq23")

    assert listed(client, reverse("assignment_list") + "?status=overdue") == [cycle.overdue.pk]
    assert listed(
        client, reverse("assignment_list") + "?status=completed_late&status=completed_on_time"
    ) == [cycle.on_time.pk, cycle.late.pk]
    in_group = listed(
        client, reverse("assignment_list") + f"?group={group.pk}&body={cycle.late.body_id}"
    )
    assert in_group == [cycle.late.pk]
    supervising = listed(client, reverse("assignment_list") + "?role=supervise")
    assert set(supervising) == set(
        Assignment.objects.filter(role="supervise").values_list("pk", flat=True)
    )
    everything = listed(client, reverse("assignment_list") + f"?programme={programme.pk}")
    assert len(everything) == Assignment.objects.filter(cancelled_on__isnull=True).count()


def test_it_filters_by_whether_the_period_was_reported(client, cast, cycle):
    client.force_login(cast["reviewer"])
    url = reverse("assignment_list") + f"?period={cycle.period.pk}&body={cycle.due_soon.body_id}"

    assert set(listed(client, url + "&report=not_submitted")) == {
        cycle.due_soon.pk,
        cycle.overdue.pk,
    }
    assert listed(client, url + "&report=accepted") == []
    cam_ranh = f"?period={cycle.period.pk}&body={cycle.on_time.body_id}&report=accepted"
    assert listed(client, reverse("assignment_list") + cam_ranh) == [
        cycle.on_time.pk,
        cycle.late.pk,
    ]


def test_it_asks_for_the_period_when_filtering_by_report(client, cast, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])

    response = client.get(reverse("assignment_list"), {"report": "accepted"})

    assert "Choose the reporting period as well." in text_of(response)
    assert (
        result_count(response.content.decode())
        == Assignment.objects.filter(cancelled_on__isnull=True).count()
    )


def test_it_sorts_by_deadline_body_and_status(client, cast, cycle):
    client.force_login(cast["reviewer"])
    base = reverse("assignment_list") + "?role=reporting"

    by_deadline = listed(client, base + "&sort=deadline")
    assert by_deadline[:5] == [
        cycle.overdue.pk,
        cycle.late.pk,
        cycle.due_soon.pk,
        cycle.on_time.pk,
        cycle.in_progress.pk,
    ]
    by_status = listed(client, base + "&sort=status")
    assert by_status[:3] == [cycle.overdue.pk, cycle.due_soon.pk, cycle.in_progress.pk]
    by_body = listed(client, base + "&sort=body")
    positions = list(Assignment.objects.in_bulk(by_body).values())
    order = {a.pk: (a.body.position, a.body.name) for a in positions}
    assert [order[pk] for pk in by_body] == sorted(order[pk] for pk in by_body)


def test_it_pages_the_list_fifty_rows_at_a_time(client, cast, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])

    markup = client.get(reverse("assignment_list")).content.decode()

    total = Assignment.objects.filter(cancelled_on__isnull=True).count()
    assert total > 50
    assert len(ROW.findall(markup)) == 50
    assert result_count(markup) == total
    assert f"{total} assignments" in text_of(markup)
    assert len(listed(client, reverse("assignment_list"))) == total


def test_it_labels_every_filter(client, cast):
    client.force_login(cast["officer"])

    markup = client.get(reverse("assignment_list")).content.decode()

    for name in ("group", "body", "role", "programme", "period", "report"):
        assert f'<label for="id_{name}">' in markup, name
    assert "<legend>" in markup


# The navigation

EXPLAIN = "Explanation requests"  # the indicators app's list, for those who may read some
# The progress reports' list and the generated PDFs, named apart.
REPORTS = ("Progress reports", "Summary reports (PDF)")


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("officer", {"My work", "Assignments", *REPORTS, "Reporting periods", EXPLAIN}),
        ("leader", {"My work", "Assignments", *REPORTS, "Reporting periods", EXPLAIN}),
        ("reviewer", {"Compliance", "Assignments", *REPORTS, "Reporting periods", EXPLAIN}),
        ("standing_member", {"Compliance", "Assignments", *REPORTS, "Reporting periods", EXPLAIN}),
        ("supervisor", {"Supervision", "Assignments", *REPORTS, "Reporting periods"}),
    ],
)
def test_it_offers_only_the_pages_the_user_may_use(client, cast, role, offered):
    in_english(client)
    client.force_login(cast[role])

    markup = client.get(reverse("period_list")).content.decode()

    nav = markup[markup.index('<nav class="site-nav"') : markup.index("</nav>")]
    links = set(re.findall(r"<li><a [^>]*>([^<]+)</a></li>", nav))
    assert links - {"Programmes", "Bodies", "Search"} == offered


# Queries


# The assignment list's filters and table come from the cache once warm: the session, the
# user and the data version.
PAGES = [
    ("reviewer", "compliance_overview", {}, 3),
    ("reviewer", "compliance_overview", {"period": "open"}, 3),
    ("officer", "agency_home", {}, 3),
    ("leader", "agency_home", {}, 3),
    ("supervisor", "supervision_overview", {}, 7),
    ("reviewer", "assignment_list", {}, 3),
    ("officer", "assignment_list", {}, 3),
    ("reviewer", "assignment_list", {"period": "open", "report": "not_submitted"}, 3),
    ("officer", "assignment_list", {"sort": "status", "status": "overdue"}, 3),
    ("reviewer", "assignment_list", {"period": "open", "reporting": "overdue"}, 3),
    ("officer", "assignment_list", {"reporting": ["sent_on_time", "sent_late"]}, 3),
]


@pytest.mark.parametrize(("role", "name", "params", "queries"), PAGES)
def test_it_builds_each_page_in_a_fixed_number_of_queries(
    client, cast, cycle, grow_programme, django_assert_num_queries, role, name, params, queries
):
    client.force_login(cast[role])
    params = {k: (cycle.period.pk if v == "open" else v) for k, v in params.items()}
    url = reverse(name)

    client.get(url, params)  # warms the caches: the count is of the steady state
    with django_assert_num_queries(queries):
        few = client.get(url, params)
    grow(grow_programme, cast, cycle)
    client.get(url, params)  # warms the caches: the count is of the steady state
    with django_assert_num_queries(queries):
        many = client.get(url, params)

    assert few.status_code == many.status_code == 200
    assert many.content != few.content


def test_it_decides_the_navigation_as_the_policy_does_without_a_query(
    cast, django_assert_num_queries
):
    from accounts.permissions import active_memberships
    from tasks.dashboards.access import nav_access
    from tasks.permissions import Action, assignment_policy

    for user in cast.values():
        memberships = active_memberships(user)
        with django_assert_num_queries(0):
            nav = nav_access(user, memberships)
        assert nav.compliance == assignment_policy.user_has_permission(user, Action.VIEW)


def test_it_shows_a_member_of_two_bodies_the_work_of_each(client, cast, cycle, text_of):
    from accounts.models import Body, Role
    from accounts.services import membership_grant

    membership_grant(
        user=cast["leader"],
        body=Body.objects.get(code=CAM_RANH),
        role=Role.objects.get(code="officer"),
        acting_user=None,
        reason="test",
    )
    in_english(client)
    client.force_login(cast["leader"])

    markup = client.get(reverse("agency_home")).content.decode()

    page = text_of(markup)
    assert "Assignments of Nha Trang City Party Committee (2)" in page
    assert "Assignments of Cam Ranh City Party Committee (2)" in page
    attention = markup[markup.index('id="attention-heading"') : markup.index('id="submit-heading"')]
    assert '<th scope="col">Body</th>' in attention
    assert reverse("assignment_detail", args=[cycle.on_time.pk]) in markup


@pytest.mark.parametrize(
    "name", ["agency_home", "compliance_overview", "supervision_overview", "assignment_list"]
)
@pytest.mark.parametrize("role", ["officer", "reviewer", "supervisor", "standing_member"])
def test_it_renders_each_dashboard_as_a_page_or_refuses_it(client, cast, cycle, name, role):
    allowed = {
        "compliance_overview": {"reviewer", "standing_member"},
        "supervision_overview": {"supervisor"},
    }.get(name, {"officer", "reviewer", "supervisor", "standing_member"})
    client.force_login(cast[role])

    response = client.get(reverse(name))

    assert response.status_code == (200 if role in allowed else 403)
    markup = response.content.decode()
    assert '<html lang="vi">' in markup
    assert len(re.findall(r"<h1[ >]", markup)) == 1


def test_it_lists_the_bodies_owing_most_first_up_to_its_limit_and_links_to_the_rest(
    client, cast, cycle, monkeypatch
):
    from tasks.dashboards import compliance

    client.force_login(cast["reviewer"])
    full = client.get(reverse("compliance_overview"), {"period": cycle.period.pk})
    section = full.content.decode().split('id="not-reported"')[1]
    owing = {
        body: int(n)
        for body, n in re.findall(
            r'href="/bodies/([^/]+)/".*?data-count="not_submitted">(\d+)<', section, re.S
        )
    }
    assert len(owing) >= 2, owing
    monkeypatch.setattr(compliance, "NOT_REPORTED_LIMIT", 1)

    markup = client.get(reverse("compliance_overview"), {"period": cycle.period.pk})

    section = markup.content.decode().split('id="not-reported"')[1]
    shown = re.findall(r'href="/bodies/([^/]+)/"', section)
    assert len(shown) == 1 and owing[shown[0]] == max(owing.values())
    more = re.search(r'href="([^"]+)" data-count="not_submitted_more">([^<]+)<', section)
    assert more, section
    assert f"{len(owing) - 1} " in more.group(2)
    assert f"period={cycle.period.pk}" in more.group(1).replace("&amp;", "&")
    assert "report=not_submitted" in more.group(1).replace("&amp;", "&")
