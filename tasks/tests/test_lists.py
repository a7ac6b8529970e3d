"""The assignment list and the progress report list as people use them: sorted by a heading
(kept in the URL), paged with numbers, a total and 25/50/100 rows, and taken out as an Excel
workbook or a CSV file holding exactly the rows the page shows across its pages, in its order,
for each role; another body's drafts never appear; text stays text; every export is logged;
the queries are as many for few rows as for many.

The cycle (tasks/tests/test_dashboards.py) is made through the services: Nha Trang keeps a
draft and has a report returned, Cam Ranh has two reports accepted, one of them late."""

import csv
import html
import io
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import SecurityEvent
from tasks.models import Assignment, ProgressReport
from tasks.tests.test_dashboards import (
    DRAFT_TEXT,
    build_cycle,
    draft,
    give_back,
    grow,
    in_english,
    submit,
)

pytestmark = pytest.mark.database

ROLES = ["officer", "other_officer", "reviewer", "supervisor", "standing_member"]
TITLE_LINES = 4  # the title, the filters, the time of export, a blank line


@pytest.fixture
def cycle(cast):
    return build_cycle(cast)


def rows_of(markup: str, kind: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'<tr data-{kind}="(\d+)">', markup)]


def paged(client, url: str, kind: str, params=None) -> list[int]:
    """The ids of the rows a list shows, page after page (following its "next" link)."""
    ids: list[int] = []
    path, query = url, dict(params or {})
    response = client.get(path, query)
    while True:
        assert response.status_code == 200
        markup = response.content.decode()
        ids += rows_of(markup, kind)
        following = re.search(r'<a href="([^"]+)" rel="next">', markup)
        if not following:
            return ids
        response = client.get(path + html.unescape(following.group(1)))


def csv_rows(response) -> tuple[list[str], list[list[str]]]:
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[:TITLE_LINES], rows[TITLE_LINES:]


def xlsx_rows(response) -> tuple[list, list[list]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return rows[:TITLE_LINES], rows[TITLE_LINES:]


def assignment_line(assignment: Assignment) -> list[str]:
    return [assignment.item.citation, assignment.body.display_name, assignment.get_role_display()]


def report_line(report: ProgressReport) -> list[str]:
    return [
        report.assignment.item.citation,
        report.assignment.body.display_name,
        report.period.name,
        report.get_state_display(),
    ]


# The export holds the page's rows, for every role


@pytest.mark.parametrize("role", ROLES)
def test_it_exports_the_assignment_rows_the_pages_show_in_their_order(client, cast, cycle, role):
    client.force_login(cast[role])
    params = {"role": "reporting", "sort": "-deadline", "per_page": 25}

    shown = paged(client, reverse("assignment_list"), "assignment", params)
    as_csv = client.get(reverse("assignment_list"), {**params, "export": "csv"})
    as_xlsx = client.get(reverse("assignment_list"), {**params, "export": "xlsx"})

    assert shown, role
    by_id = Assignment.objects.select_related("item__programme", "body").in_bulk(shown)
    expected = [assignment_line(by_id[pk]) for pk in shown]
    headings, *rows = csv_rows(as_csv)[1]
    assert headings[:3] == ["Nhiệm vụ", "Nội dung nhiệm vụ", "Cơ quan"]
    assert [[row[0], row[2], row[3]] for row in rows] == expected
    headings, *rows = xlsx_rows(as_xlsx)[1]
    assert [[row[0], row[2], row[3]] for row in rows] == expected


@pytest.mark.parametrize("role", ROLES)
def test_it_exports_the_progress_reports_the_pages_show_and_no_other_bodys_draft(
    client, cast, cycle, role
):
    client.force_login(cast[role])
    params = {"sort": "body", "per_page": 25}

    shown = paged(client, reverse("progress_report_list"), "report", params)
    as_csv = client.get(reverse("progress_report_list"), {**params, "export": "csv"})
    as_xlsx = client.get(reverse("progress_report_list"), {**params, "export": "xlsx"})

    reports = ProgressReport.objects.select_related(
        "assignment__item__programme", "assignment__body", "period"
    ).in_bulk(shown)
    expected = [report_line(reports[pk]) for pk in shown]
    for _title, (_headings, *rows) in (csv_rows(as_csv), xlsx_rows(as_xlsx)):
        assert [[row[0], row[2], row[3], row[4]] for row in rows] == expected
    # The Nha Trang draft: its own body sees it, no one else does, on the page or in the file.
    sees_draft = role == "officer"
    assert (cycle.draft.pk in shown) is sees_draft
    assert (DRAFT_TEXT in as_csv.content.decode("utf-8-sig")) is sees_draft
    assert all(
        report.state != "draft" or report.assignment.body.code == "thanh-uy-nha-trang"
        for report in reports.values()
    )
    if role in ("reviewer", "standing_member"):
        sent = ProgressReport.objects.exclude(state="draft")
        assert set(shown) == set(sent.values_list("pk", flat=True))


def test_it_filters_the_progress_reports_by_period_body_state_group_and_lateness(
    client, cast, cycle
):
    client.force_login(cast["reviewer"])
    url = reverse("progress_report_list")
    group = cycle.late.item.parent

    def ids(**params):
        return set(paged(client, url, "report", params))

    late_report = ProgressReport.objects.get(assignment=cycle.late, period=cycle.period)
    sent = {cycle.returned.pk, cycle.accepted.pk, late_report.pk}
    # The cycle's reports were first sent today, after the period's due date (30/11/2026).
    assert cycle.period.due_on < timezone.localdate()
    assert ids(timing="late") == sent
    assert ids(timing="on_time") == set()
    assert ids(state="returned") == {cycle.returned.pk}
    assert ids(body=cycle.on_time.body_id) == {cycle.accepted.pk, late_report.pk}
    assert late_report.pk in ids(group=group.pk)
    assert cycle.accepted.pk not in ids(group=group.pk)
    assert ids(period=cycle.final.pk) == set()
    assert ids(period=cycle.period.pk) == sent
    # The officer's own draft is "not sent yet".
    client.force_login(cast["officer"])
    assert ids(timing="not_sent") == {cycle.draft.pk}


def test_it_counts_a_report_first_sent_by_the_due_date_as_on_time(client, cast, cycle):
    # The final review's reports are due in 2030: one sent today is on time, and stays so
    # after it is returned.
    period = cycle.final
    assert period.due_on > timezone.localdate()
    sent = submit(draft(cycle.due_soon, period, cast["officer"]), cast["leader"])
    give_back(sent, cast["reviewer"])
    client.force_login(cast["reviewer"])
    url = reverse("progress_report_list")

    on_time = paged(client, url, "report", {"timing": "on_time"})
    late = paged(client, url, "report", {"timing": "late", "period": period.pk})

    assert on_time == [sent.pk]
    assert late == []


# Sorting


ASSIGNMENT_COLUMNS = ["task", "body", "role", "deadline", "status"]
REPORT_COLUMNS = ["report", "body", "period", "state", "sent", "timing", "percent_complete"]


@pytest.mark.parametrize(
    ("name", "kind", "columns"),
    [
        ("assignment_list", "assignment", ASSIGNMENT_COLUMNS),
        ("progress_report_list", "report", [*REPORT_COLUMNS, "updated"]),
    ],
)
def test_it_sorts_by_each_heading_and_says_so_in_the_url_and_to_screen_readers(
    client, cast, cycle, name, kind, columns
):
    in_english(client)
    client.force_login(cast["reviewer"])
    url = reverse(name)

    first = client.get(url).content.decode()
    for column in columns:
        # Each heading links to its own order, kept in the URL (the list's default order, by
        # task, links to its reverse).
        assert re.search(rf'href="\?sort=-?{column}"', first), column
        ascending = client.get(url, {"sort": column}).content.decode()
        descending = client.get(url, {"sort": f"-{column}"}).content.decode()

        assert re.search(rf'aria-sort="ascending"><a href="\?sort=-{column}">', ascending), column
        assert ", sorted ascending" in ascending
        assert re.search(rf'aria-sort="descending"><a href="\?sort={column}">', descending), column
        assert ", sorted descending" in descending
        assert ascending.count("aria-sort=") == descending.count("aria-sort=") == 1
        # The same rows either way.
        assert sorted(rows_of(ascending, kind)) == sorted(rows_of(descending, kind)) or (
            len(rows_of(ascending, kind)) == 50
        )


def test_it_orders_the_rows_by_the_values_of_the_column(client, cast, cycle):
    client.force_login(cast["reviewer"])
    url = reverse("assignment_list")

    def positions(sort):
        ids = paged(client, url, "assignment", {"role": "reporting", "sort": sort})
        bodies = Assignment.objects.select_related("body").in_bulk(ids)
        return [(bodies[pk].body.position, bodies[pk].body.name) for pk in ids]

    assert positions("body") == sorted(positions("body"))
    assert positions("-body") == sorted(positions("body"), reverse=True)

    reports_url = reverse("progress_report_list")
    percents = [
        ProgressReport.objects.get(pk=pk).percent_complete
        for pk in paged(client, reports_url, "report", {"sort": "-percent_complete"})
    ]
    assert percents == sorted(percents, reverse=True) and len(set(percents)) > 1


# Paging


def test_it_pages_with_numbers_a_total_and_a_choice_of_rows(client, cast, cycle, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])
    url = reverse("assignment_list")
    total = Assignment.objects.filter(cancelled_on__isnull=True).count()
    assert total > 100

    markup = client.get(url).content.decode()

    assert len(rows_of(markup, "assignment")) == 50
    assert f"{total} rows in total, showing 1–50" in text_of(markup)
    last = -(-total // 50)
    assert f'href="?page={last}"' in markup and 'href="?page=2"' in markup
    assert '<span aria-current="page"><span class="visually-hidden">Page </span>1</span>' in markup
    for per_page in (25, 100):
        assert f'href="?per_page={per_page}"' in markup
        page = client.get(url, {"per_page": per_page}).content.decode()
        assert len(rows_of(page, "assignment")) == per_page
        assert f'href="?per_page={per_page}&amp;page=2"' in page
    second = client.get(url, {"per_page": 25, "page": 2}).content.decode()
    assert "showing 26–50" in text_of(second)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "nonsense"},
        {"sort": "-"},
        {"sort": "item__text"},
        {"sort": "task,-nonsense,,"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999"},
        {"page": "-1"},
        {"per_page": "7"},
        {"per_page": "100000"},
        {"per_page": "x"},
        {"export": "pdf"},
        {"export": ""},
    ],
)
@pytest.mark.parametrize(
    ("name", "kind"), [("assignment_list", "assignment"), ("progress_report_list", "report")]
)
def test_it_answers_a_bad_sort_page_or_rows_per_page_with_a_page(
    client, cast, cycle, params, name, kind
):
    client.force_login(cast["reviewer"])

    response = client.get(reverse(name), params)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert rows_of(response.content.decode(), kind)


# The files


def test_it_writes_a_title_dates_numbers_and_a_file_name_that_say_what_was_filtered(
    client, cast, cycle
):
    client.force_login(cast["reviewer"])

    response = client.get(
        reverse("progress_report_list"),
        {"period": cycle.period.pk, "state": "accepted", "export": "xlsx"},
    )

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', disposition).group(1)
    real_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))
    assert ascii_name.isascii() and ascii_name.startswith("Bao-cao-tien-do")
    assert ascii_name.endswith(".xlsx")
    assert real_name.startswith("Báo cáo tiến độ - ")
    assert cycle.period.name in real_name and "Đã chấp nhận" in real_name
    title, (headings, *rows) = xlsx_rows(response)
    assert title[0][0] == "Báo cáo tiến độ"
    assert f"Kỳ báo cáo: {cycle.period.name}" in title[1][0]
    assert "Trạng thái: Đã chấp nhận" in title[1][0]
    assert title[2][0].startswith("Xuất lúc ")
    column = {heading: index for index, heading in enumerate(headings)}
    assert len(rows) == 2
    for row in rows:
        assert isinstance(row[column["Tỷ lệ hoàn thành (%)"]], int)
        assert row[column["Tỷ lệ hoàn thành (%)"]] == 100
        assert hasattr(row[column["Gửi lần đầu"]], "year")


def test_it_keeps_text_that_looks_like_a_formula_as_text_in_both_files(client, cast, cycle):
    from tasks.services.reports import ReportData, report_create

    hostile = ['=HYPERLINK("http://example.com/x","Bấm vào đây")', "+1", "-1", "@x"]
    assignment = cycle.overdue
    report_create(
        assignment=assignment,
        period=cycle.final,
        data=ReportData(
            result=hostile[0], percent_complete=10, difficulties=hostile[1], proposals=hostile[2]
        ),
        acting_user=cast["officer"],
    )
    client.force_login(cast["officer"])
    params = {"body": assignment.body_id, "state": "draft"}

    workbook = client.get(reverse("progress_report_list"), {**params, "export": "xlsx"})
    text = client.get(reverse("progress_report_list"), {**params, "export": "csv"})

    sheet = load_workbook(io.BytesIO(workbook.content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    for value in hostile[:3]:
        assert cells[value].data_type == "s", value
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    _title, (headings, *rows) = csv_rows(text)
    row = next(r for r in rows if r[0] == assignment.item.citation)
    assert row[headings.index("Kết quả thực hiện")] == "'" + hostile[0]
    assert row[headings.index("Khó khăn, vướng mắc")] == "'+1"
    assert row[headings.index("Kiến nghị, đề xuất")] == "'-1"
    assert "'@x" not in text.content.decode("utf-8-sig")  # not written anywhere above


def test_it_writes_at_sign_text_as_text(tmp_path):
    from openpyxl import Workbook

    from config.spreadsheets import cell_write, csv_text

    sheet = Workbook().active
    assert cell_write(sheet, row=1, column=1, value="@x").data_type == "s"
    assert csv_text("@x") == "'@x"
    assert csv_text("x@y") == "x@y"


def test_it_logs_each_export_with_its_filters_and_rows(client, cast, cycle):
    client.force_login(cast["standing_member"])

    client.get(reverse("assignment_list"), {"status": "overdue", "export": "csv"})
    client.get(reverse("progress_report_list"), {"export": "xlsx"})

    events = list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).order_by("at", "id"))
    assert [event.user for event in events] == [cast["standing_member"]] * 2
    assert events[0].path.startswith("/assignments/?")
    assert "Tình hình thực hiện: Chưa hoàn thành, quá hạn" in events[0].detail
    assert re.search(r"\((\d+) rows;", events[1].detail).group(1) == str(
        ProgressReport.objects.exclude(state="draft").count()
    )


# The menus


def test_it_names_the_two_kinds_of_report_apart_in_the_menu(client, cast, text_of):
    client.force_login(cast["officer"])

    markup = client.get(reverse("progress_report_list")).content.decode()

    nav = markup[markup.index('<nav class="site-nav"') : markup.index("</nav>")]
    assert "Báo cáo tiến độ" in text_of(nav)
    assert "Báo cáo tổng hợp (PDF)" in text_of(nav)
    assert 'aria-current="page">Báo cáo tiến độ<' in nav


# Queries


@pytest.mark.parametrize(
    ("role", "name", "params"),
    [
        ("reviewer", "assignment_list", {"sort": "-status", "per_page": 100}),
        ("officer", "assignment_list", {"export": "xlsx"}),
        ("reviewer", "assignment_list", {"period": "open", "export": "csv"}),
        ("officer", "progress_report_list", {}),
        ("reviewer", "progress_report_list", {"sort": "-sent", "timing": "on_time"}),
        ("reviewer", "progress_report_list", {"export": "xlsx"}),
        ("supervisor", "progress_report_list", {"export": "csv", "sort": "body"}),
    ],
)
def test_it_builds_the_page_or_the_file_in_as_many_queries_for_many_rows_as_for_few(
    client, cast, cycle, grow_programme, django_assert_max_num_queries, role, name, params
):
    client.force_login(cast[role])
    params = {k: (cycle.period.pk if v == "open" else v) for k, v in params.items()}
    client.get(reverse(name))  # the per-user caches, warm as in use

    with django_assert_max_num_queries(12) as few:
        before = client.get(reverse(name), params)
    grow(grow_programme, cast, cycle)
    client.get(reverse(name))  # the caches the growth made stale, warm again
    with django_assert_max_num_queries(12) as many:
        after = client.get(reverse(name), params)

    assert before.status_code == after.status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
    assert before.content != after.content
