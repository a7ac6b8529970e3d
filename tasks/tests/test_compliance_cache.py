"""The compliance overview is cached under the data version: every write people make through
the services shows on the very next request, what one reader's visit cached is only ever shown
to readers who see the same work, and the cached page is the page that was computed."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Body
from programme.models import Item
from tasks.models import Assignment
from tasks.tests.test_dashboards import (
    NHA_TRANG,
    accept,
    build_cycle,
    count_links,
    in_english,
    set_deadline,
    submit,
)

pytestmark = pytest.mark.database

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def cycle(cast):
    return build_cycle(cast)


def overview(client, **params) -> str:
    response = client.get(reverse("compliance_overview"), params)
    assert response.status_code == 200
    return response.content.decode()


def counts(markup: str, table_id: str) -> dict[str, int]:
    """What the table counts: {what is counted: number}."""
    table = markup[markup.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return {kind: n for _url, kind, n in count_links(table)}


def owing(markup: str, body_code: str) -> int | None:
    """How many assignments the body has without a sent report, as the page lists it."""
    section = markup[markup.index('id="not-reported"') :]
    for row in section.split("<tr>"):
        if f"/bodies/{body_code}/" in row:
            return count_links(row)[0][2]
    return None


def sent_reports(markup: str) -> int:
    """The reports sent for the chosen period, on time or late."""
    reporting = counts(markup, "reporting-overall")
    return reporting["reporting_sent_on_time"] + reporting["reporting_sent_late"]


def without_token(markup: str) -> str:
    return CSRF.sub("", markup)


def test_a_report_submitted_then_accepted_shows_on_the_next_request(client, cast, cycle):
    from tasks.services.reports import ReportData, document_cite, report_update

    client.force_login(cast["reviewer"])
    period = {"period": cycle.period.pk}
    before = overview(client, **period)
    assert without_token(overview(client, **period)) == without_token(before)  # cached
    sent = sent_reports(before)
    completed = counts(before, "overall-counts")["completed_on_time"]
    assert owing(before, NHA_TRANG) == 2

    report = report_update(
        report=cycle.draft,
        data=ReportData(result="Đã hoàn thành", percent_complete=100, claims_completion=True),
        expected_version=cycle.draft.version,
        acting_user=cast["officer"],
    )
    document_cite(
        report=report,
        number="45/KH-UBND",
        issued_on=timezone.localdate() - timedelta(days=2),
        issuer="UBND thành phố",
        title="Kế hoạch hoàn thành",
        acting_user=cast["officer"],
    )
    submit(report, cast["leader"])
    submitted = overview(client, **period)

    assert owing(submitted, NHA_TRANG) == 1
    assert sent_reports(submitted) == sent + 1
    assert counts(submitted, "overall-counts")["completed_on_time"] == completed

    accept(report, cast["reviewer"])
    accepted = overview(client, **period)

    # The report said the task is done: accepting it completes the assignment.
    assert counts(accepted, "overall-counts")["completed_on_time"] == completed + 1


def test_a_deadline_moved_into_the_past_shows_the_assignment_overdue_next(client, cast, cycle):
    client.force_login(cast["reviewer"])
    before = overview(client)
    detail = reverse("assignment_detail", args=[cycle.in_progress.pk])
    assert detail not in before

    set_deadline(cycle.in_progress, timezone.localdate() - timedelta(days=3), cast["reviewer"])
    after = overview(client)

    assert (
        counts(after, "overall-counts")["overdue"]
        == counts(before, "overall-counts")["overdue"] + 1
    )
    overdue = after[after.index('id="overdue"') :]
    assert detail in overdue[: overdue.index("</section>")]


def test_a_cancelled_assignment_leaves_the_counts_on_the_next_request(client, cast, cycle):
    client.force_login(cast["reviewer"])
    before = counts(overview(client), "overall-counts")

    # As the administrators cancel one, in the admin: a save with its history.
    assignment = Assignment.objects.get(pk=cycle.overdue.pk)
    assignment.cancelled_on = timezone.localdate()
    assignment._change_reason = "Nhiệm vụ không còn phù hợp"
    assignment.save()
    after = counts(overview(client), "overall-counts")

    assert after["total"] == before["total"] - 1
    assert after["overdue"] == before["overdue"] - 1


def test_a_new_body_with_an_assignment_shows_on_the_next_request(client, cast, cycle):
    from tasks.services.grants import assignment_grants_sync

    client.force_login(cast["reviewer"])
    before = overview(client)

    body = Body.objects.create(
        code="ban-chuyen-doi-so", name="Ban Chỉ đạo chuyển đổi số", kind=Body.Kind.DEPARTMENT
    )
    task = Item.objects.filter(section=Item.Section.TASKS, kind=Item.Kind.BULLET).first()
    Assignment.objects.create(
        item=task,
        body=body,
        role=Assignment.Role.LEAD,
        deadline_kind=Assignment.DeadlineKind.FIXED,
        deadline=timezone.localdate() - timedelta(days=1),
    )
    assignment_grants_sync()
    after = overview(client)

    assert counts(after, "overall-counts")["total"] == counts(before, "overall-counts")["total"] + 1
    assert "/bodies/ban-chuyen-doi-so/" not in before
    overdue = after[after.index('id="overdue"') :]
    assert "/bodies/ban-chuyen-doi-so/" in overdue[: overdue.index("</section>")]


def test_what_one_reader_cached_is_never_shown_to_another_reader_or_refused(client, cast, cycle):
    from tasks.dashboards.assignment_list import visibility_class

    client.force_login(cast["reviewer"])
    reviewers = overview(client)
    client.force_login(cast["standing_member"])
    standing = overview(client)
    # Both read everything: one cached page, with each one's own header around it.
    assert visibility_class(cast["reviewer"]) == visibility_class(cast["standing_member"])
    assert cast["reviewer"].display_name in reviewers
    assert cast["reviewer"].display_name not in standing
    assert cast["standing_member"].display_name in standing
    assert counts(standing, "overall-counts") == counts(reviewers, "overall-counts")

    # A body's officer sees only the body's work: refused, not served the cached page.
    assert visibility_class(cast["officer"]) != visibility_class(cast["reviewer"])
    client.force_login(cast["officer"])
    response = client.get(reverse("compliance_overview"))
    assert response.status_code == 403
    assert 'id="overall-counts"' not in response.content.decode()

    # Nor is a page cached in one language shown in the other.
    client.force_login(cast["reviewer"])
    in_english(client)
    english = overview(client)
    assert "Compliance overview" in english and "Compliance overview" not in reviewers


@pytest.mark.parametrize(
    "params",
    [{}, {"bodies": "2", "extra": "kept"}, {"period": "open", "bodies": "x"}, {"programme": "z"}],
)
def test_the_cached_page_is_the_page_computed(client, cast, cycle, monkeypatch, params):
    from tasks.dashboards import compliance

    # Two bodies a page, so that the pagers show and their links repeat the query string.
    monkeypatch.setattr(compliance, "BODIES_PER_PAGE", 2)
    params = {k: (cycle.period.pk if v == "open" else v) for k, v in params.items()}
    client.force_login(cast["reviewer"])

    cache.clear()
    cold = overview(client, **params)
    warm = overview(client, **params)

    assert without_token(warm) == without_token(cold)
    assert 'rel="next"' in cold
    if "extra" in params:
        assert "extra=kept" in cold[cold.index('id="by-body"') :]


def test_the_pagers_repeat_each_requests_own_query_string(client, cast, cycle, monkeypatch):
    from tasks.dashboards import compliance

    monkeypatch.setattr(compliance, "BODIES_PER_PAGE", 2)
    client.force_login(cast["reviewer"])

    first = overview(client, bodies="2", sort="a")
    second = overview(client, bodies="2", sort="b")  # the same cached page

    assert '"?bodies=1&amp;sort=a#by-body" rel="prev"' in first
    assert '"?bodies=1&amp;sort=b#by-body" rel="prev"' in second
    assert "sort=a" not in second


def test_a_warm_page_reads_no_more_than_the_data_version(
    client, cast, cycle, grow_programme, django_assert_max_num_queries
):
    from tasks.tests.test_dashboards import grow

    client.force_login(cast["reviewer"])
    overview(client)
    with django_assert_max_num_queries(3) as few:
        overview(client)
    grow(grow_programme, cast, cycle)
    overview(client)
    with django_assert_max_num_queries(3) as many:
        overview(client)

    assert len(many.captured_queries) == len(few.captured_queries)
