"""The reporting period pages: the list and a period's reports by body, for what the user may
see, and opening and closing a period, which only the Party Office may do."""

import re

import pytest
from django.urls import reverse

from tasks.models import Assignment, ReportingPeriod

from .test_dashboards import build_cycle, count_links, grow, in_english, listed

pytestmark = pytest.mark.database


@pytest.fixture
def cycle(cast):
    return build_cycle(cast)


def period(code: str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(code=code)


def period_row(markup: str, pk: int) -> str:
    return re.search(rf'<tr data-period="{pk}">(.*?)</tr>', markup, re.S).group(1)


def counts_in(markup: str) -> dict[str, int]:
    return {kind: int(n) for kind, n in re.findall(r'data-count="([a-z_]+)">(\d+)<', markup)}


def test_it_lists_every_period_with_its_kind_dates_due_date_and_state(client, cast, text_of):
    in_english(client)
    client.force_login(cast["officer"])

    markup = client.get(reverse("period_list")).content.decode()

    assert markup.count("<tr data-period=") == ReportingPeriod.objects.count()
    annual = period("2026-nam")
    assert text_of(period_row(markup, annual.pk)).startswith(
        "Tổng kết năm 2026 Annual review 01/01/2026 – 31/12/2026 30/11/2026 Open"
    )
    planned = period("2027-6t")
    assert "Six-month review 01/01/2027 – 30/06/2027 15/06/2027 Planned" in text_of(
        period_row(markup, planned.pk)
    )
    assert reverse("period_detail", args=[annual.pk]) in markup


def test_it_counts_the_reports_each_period_expects_and_has_received(client, cast, cycle):
    client.force_login(cast["reviewer"])

    markup = client.get(reverse("period_list")).content.decode()
    detail = client.get(reverse("period_detail", args=[cycle.period.pk])).content.decode()

    # Every reporting assignment owes a report; Cam Ranh's two, completed since, sent theirs.
    reporting = Assignment.objects.reporting().filter(cancelled_on__isnull=True).count()
    listed_counts = counts_in(period_row(markup, cycle.period.pk))
    total = detail[detail.index("<tfoot>") : detail.index("</tfoot>")]
    assert listed_counts == {"expected": reporting, "submitted": 0, "accepted": 2}
    assert {k: v for k, v in counts_in(total).items() if k != "not_submitted"} == listed_counts
    assert counts_in(total)["not_submitted"] == reporting - 2
    for url, _kind, number in count_links(total):
        assert len(listed(client, url)) == number


def test_it_shows_the_party_office_each_bodys_reports_without_revealing_drafts(client, cast, cycle):
    client.force_login(cast["reviewer"])

    markup = client.get(reverse("period_detail", args=[cycle.period.pk])).content.decode()

    nha_trang = re.search(r'<tr data-body="thanh-uy-nha-trang">(.*?)</tr>', markup, re.S).group(1)
    cam_ranh = re.search(r'<tr data-body="thanh-uy-cam-ranh">(.*?)</tr>', markup, re.S).group(1)
    # The draft and the returned report both count as not submitted.
    assert counts_in(nha_trang) == {
        "expected": 2,
        "not_submitted": 2,
        "submitted": 0,
        "accepted": 0,
    }
    assert counts_in(cam_ranh) == {"expected": 2, "not_submitted": 0, "submitted": 0, "accepted": 2}
    assert markup.count('data-body="thanh-uy-nha-trang"') == 1
    for url, _kind, number in count_links(nha_trang) + count_links(cam_ranh):
        assert len(listed(client, url)) == number
    assert reverse("report_detail", args=[cycle.draft.pk]) not in markup
    listing = client.get(
        reverse("assignment_list"),
        {"period": cycle.period.pk, "body": cycle.due_soon.body_id},
    ).content.decode()
    assert reverse("report_detail", args=[cycle.draft.pk]) not in listing
    assert reverse("report_detail", args=[cycle.returned.pk]) in listing


def test_it_shows_an_officer_only_the_reports_of_their_own_body(client, cast, cycle, text_of):
    in_english(client)
    client.force_login(cast["officer"])

    markup = client.get(reverse("period_detail", args=[cycle.period.pk])).content.decode()

    assert "Reports among the assignments you may see" in text_of(markup)
    assert "data-body=" not in markup
    assert counts_in(markup[markup.index("<tfoot>") :]) == {
        "expected": 2,
        "not_submitted": 2,
        "submitted": 0,
        "accepted": 0,
    }


def test_it_shows_no_counts_to_someone_who_sees_no_assignment(client, reference_data, db):
    from accounts.models import User

    user = User.objects.create_user("khach", password="mat-khau-thu-nghiem-2026")
    in_english(client)
    client.force_login(user)

    markup = client.get(reverse("period_list")).content.decode()

    assert "<tr data-period=" in markup
    assert 'data-count="expected"' not in markup
    detail = client.get(reverse("period_detail", args=[period("2026-nam").pk]))
    assert detail.status_code == 200
    assert 'data-count="expected"' not in detail.content.decode()


def test_it_opens_a_planned_period_for_the_party_office(client, cast, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])
    planned = period("2027-6t")

    response = client.post(reverse("period_open", args=[planned.pk]), follow=True)

    planned.refresh_from_db()
    assert planned.state == ReportingPeriod.State.OPEN
    assert response.redirect_chain == [(reverse("period_detail", args=[planned.pk]), 302)]
    assert f"The period {planned.name} is open for reports." in text_of(response)
    latest = planned.history.first()
    assert latest.history_user == cast["reviewer"]
    assert latest.history_change_reason


def test_it_closes_an_open_period_for_the_party_office(client, cast, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])
    annual = period("2026-nam")

    response = client.post(reverse("period_close", args=[annual.pk]), follow=True)

    annual.refresh_from_db()
    assert annual.state == ReportingPeriod.State.CLOSED
    assert "is closed: it takes no new or changed reports." in text_of(response)


@pytest.mark.parametrize("role", ["officer", "leader", "supervisor", "standing_member"])
@pytest.mark.parametrize(
    ("name", "code"), [("period_open", "2027-6t"), ("period_close", "2026-nam")]
)
def test_it_refuses_to_open_or_close_a_period_for_anyone_else(client, cast, role, name, code):
    from accounts.models import SecurityEvent

    client.force_login(cast[role])
    target = period(code)
    before = (target.state, target.history.count())

    response = client.post(reverse(name, args=[target.pk]))

    target.refresh_from_db()
    assert response.status_code == 403
    assert (target.state, target.history.count()) == before
    assert SecurityEvent.objects.filter(user=cast[role], kind=SecurityEvent.Kind.REFUSED).exists()


def test_it_says_why_a_period_cannot_be_opened_and_changes_nothing(client, cast, text_of):
    in_english(client)
    client.force_login(cast["reviewer"])
    closed = period("2025-nam")
    history = closed.history.count()

    response = client.post(reverse("period_open", args=[closed.pk]), follow=True)

    closed.refresh_from_db()
    assert closed.state == ReportingPeriod.State.CLOSED
    assert closed.history.count() == history
    assert "Only a planned period can be opened." in text_of(response)


def test_it_opens_and_closes_only_on_a_post(client, cast):
    client.force_login(cast["reviewer"])
    planned = period("2027-6t")

    assert client.get(reverse("period_open", args=[planned.pk])).status_code == 405
    assert client.get(reverse("period_close", args=[planned.pk])).status_code == 405
    planned.refresh_from_db()
    assert planned.state == ReportingPeriod.State.PLANNED


def test_it_offers_opening_and_closing_only_to_the_party_office(client, cast):
    planned, annual = period("2027-6t"), period("2026-nam")
    open_action = f'action="{reverse("period_open", args=[planned.pk])}"'
    close_action = f'action="{reverse("period_close", args=[annual.pk])}"'

    client.force_login(cast["reviewer"])
    reviewer_list = client.get(reverse("period_list")).content.decode()
    reviewer_detail = client.get(reverse("period_detail", args=[annual.pk])).content.decode()
    client.force_login(cast["officer"])
    officer_list = client.get(reverse("period_list")).content.decode()
    officer_detail = client.get(reverse("period_detail", args=[annual.pk])).content.decode()

    assert open_action in reviewer_list and close_action in reviewer_list
    assert close_action in reviewer_detail
    assert open_action not in officer_list and close_action not in officer_list
    assert "<form" not in officer_detail.split("<main", 1)[1].split("</main>")[0]


PAGES = [
    ("reviewer", "period_list", 4),
    ("officer", "period_list", 4),
    ("reviewer", "period_detail", 5),
    ("officer", "period_detail", 4),
]


@pytest.mark.parametrize(("role", "name", "queries"), PAGES)
def test_it_builds_each_period_page_in_a_fixed_number_of_queries(
    client, cast, cycle, grow_programme, django_assert_num_queries, role, name, queries
):
    client.force_login(cast[role])
    url = reverse(name, args=[cycle.period.pk] if name == "period_detail" else [])

    client.get(url)  # warms the caches: the count is of the steady state
    with django_assert_num_queries(queries):
        few = client.get(url)
    grow(grow_programme, cast, cycle)
    client.get(url)  # warms the caches: the count is of the steady state
    with django_assert_num_queries(queries):
        many = client.get(url)

    assert few.status_code == many.status_code == 200
    assert many.content != few.content
