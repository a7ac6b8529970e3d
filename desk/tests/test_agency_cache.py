"""The agency part of the desk is kept between requests (tasks.dashboards.agency.
agency_work_html), under the data version, the language, the day and the user's agency roles
in their bodies: what anyone writes through the services shows on the next request; people of
other bodies or of other roles never share it; kept or computed, the page is the same to the
byte; kept, it costs the same few queries however many rows it shows.

Made as the dashboards' cycle (tasks.tests.test_dashboards.build_cycle) on 25/11/2026 and looked
at on 02/12/2026, two days after the annual period's reports were due."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tasks.models import ReportingPeriod
from tasks.tests.test_dashboards import (
    build_cycle,
    draft,
    give_back,
    grow,
    set_deadline,
    submit,
)
from tests.test_query_budget import BUDGET

from .support import HCM, LOOKED_AT

pytestmark = pytest.mark.database

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def cycle(cast, clock):
    built = build_cycle(cast)
    clock.move_to(LOOKED_AT)
    return built


def desk(client, user, *, language: str = "en", path: str | None = None) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(path or reverse("home"))
    assert response.status_code == 200
    # The sign-out form's token is masked afresh on every page.
    return CSRF.sub("", response.content.decode())


def section(markup: str, heading_id: str) -> str:
    start = markup.index(f'id="{heading_id}"')
    return markup[start : markup.find("</section>", start)]


# Each write shows on the next request


def test_it_shows_a_report_drafted_since_it_was_kept(client, cast, cycle):
    # Nothing is written yet for the final review, open beside the annual period.
    before = section(desk(client, cast["officer"]), "submit-heading")

    report = draft(cycle.due_soon, cycle.final, cast["officer"])

    after = section(desk(client, cast["officer"]), "submit-heading")
    assert reverse("report_detail", args=[report.pk]) in after
    assert after.count("No report yet") == before.count("No report yet") - 1


def test_it_takes_a_submitted_draft_off_the_leaders_queue(client, cast, cycle):
    waiting = reverse("report_detail", args=[cycle.draft.pk])
    assert waiting in section(desk(client, cast["leader"]), "to-send-heading")

    submit(cycle.draft, cast["leader"])

    markup = desk(client, cast["leader"])
    assert waiting not in section(markup, "to-send-heading")
    assert "No draft is waiting for you." in section(markup, "to-send-heading")


def test_it_shows_a_report_returned_since_it_was_kept(client, cast, cycle):
    report = submit(draft(cycle.due_soon, cycle.final, cast["officer"]), cast["leader"])
    assert "(1)" in section(desk(client, cast["officer"]), "returned-heading")

    give_back(report, cast["reviewer"], reason="Chưa nêu kinh phí thực hiện")

    returned = section(desk(client, cast["officer"]), "returned-heading")
    assert "(2)" in returned
    assert "Chưa nêu kinh phí thực hiện" in returned
    assert reverse("report_detail", args=[report.pk]) in returned


def test_it_shows_an_extension_requested_and_then_decided(client, cast, cycle):
    from tasks.services.extensions import extension_decide, extension_request

    assert "No extension request is waiting." in section(
        desk(client, cast["leader"]), "extensions-heading"
    )

    request = extension_request(
        assignment=cycle.due_soon,
        proposed_deadline=timezone.localdate() + timedelta(40),
        reason="Chờ quy hoạch",
        acting_user=cast["leader"],
    )

    pending = section(desk(client, cast["leader"]), "extensions-heading")
    assert "(1)" in pending
    assert reverse("assignment_detail", args=[cycle.due_soon.pk]) in pending

    extension_decide(request=request, approve=True, note="Đồng ý", acting_user=cast["reviewer"])

    markup = desk(client, cast["leader"])
    assert "No extension request is waiting." in section(markup, "extensions-heading")
    decided = section(markup, "decided-heading")
    assert "Approved" in decided and "Đồng ý" in decided


def test_it_shows_a_deadline_changed_since_it_was_kept(client, cast, cycle):
    attention = section(desk(client, cast["officer"]), "attention-heading")
    assert reverse("assignment_detail", args=[cycle.due_soon.pk]) in attention

    set_deadline(cycle.due_soon, timezone.localdate() + timedelta(days=90), cast["reviewer"])

    markup = desk(client, cast["officer"])
    assert reverse("assignment_detail", args=[cycle.due_soon.pk]) not in section(
        markup, "attention-heading"
    )
    assert (timezone.localdate() + timedelta(days=90)).strftime("%d/%m/%Y") in markup


def test_it_shows_a_period_opened_and_then_closed(client, cast, cycle):
    from tasks.services.periods import period_close, period_open

    planned = ReportingPeriod.objects.get(code="2027-6t")
    assert planned.name not in section(desk(client, cast["officer"]), "submit-heading")

    period_open(period=planned, acting_user=cast["reviewer"])

    assert planned.name in section(desk(client, cast["officer"]), "submit-heading")

    period_close(period=planned, acting_user=cast["reviewer"])

    assert planned.name not in section(desk(client, cast["officer"]), "submit-heading")


def test_it_counts_the_days_afresh_the_next_day(client, cast, cycle, clock):
    reports = section(desk(client, cast["officer"]), "attention-heading")
    assert "2 days late" in reports

    clock.move_to(LOOKED_AT + timedelta(days=1))

    assert "3 days late" in section(desk(client, cast["officer"]), "attention-heading")


def test_it_shows_a_leader_the_decisions_of_the_last_thirty_days_counted_in_days(
    client, cast, cycle, clock
):
    from tasks.services.extensions import extension_decide, extension_request

    request = extension_request(
        assignment=cycle.due_soon,
        proposed_deadline=timezone.localdate() + timedelta(40),
        reason="Chờ quy hoạch",
        acting_user=cast["leader"],
    )
    extension_decide(request=request, approve=False, note="Không", acting_user=cast["reviewer"])

    # Decided on 02/12/2026 at 9:00: listed all day on 01/01/2027, thirty days on.
    clock.move_to(datetime(2027, 1, 1, 23, tzinfo=HCM))
    assert "(1)" in section(desk(client, cast["leader"]), "decided-heading")

    clock.move_to(datetime(2027, 1, 2, 0, 30, tzinfo=HCM))
    assert "(0)" in section(desk(client, cast["leader"]), "decided-heading")


# Never shared across people who see other things


def test_it_never_gives_one_bodys_officer_the_page_kept_for_another(client, cast, cycle):
    nha_trang = desk(client, cast["officer"])
    cam_ranh = desk(client, cast["other_officer"])

    assert reverse("report_detail", args=[cycle.draft.pk]) in nha_trang
    assert reverse("report_detail", args=[cycle.draft.pk]) not in cam_ranh
    assert reverse("assignment_detail", args=[cycle.on_time.pk]) in cam_ranh
    assert reverse("assignment_detail", args=[cycle.on_time.pk]) not in nha_trang
    # And in the other order, from an empty cache.
    cache.clear()
    assert desk(client, cast["other_officer"]) == cam_ranh
    assert desk(client, cast["officer"]) == nha_trang


@pytest.mark.parametrize("first", ["officer", "leader"])
def test_it_keeps_apart_the_officers_and_the_leaders_queue_of_one_body(client, cast, cycle, first):
    second = {"officer": "leader", "leader": "officer"}[first]
    pages = {first: desk(client, cast[first])}
    pages[second] = desk(client, cast[second])

    assert 'id="to-send-heading"' in pages["leader"]
    assert 'id="decided-heading"' in pages["leader"]
    assert 'id="to-send-heading"' not in pages["officer"]
    assert 'id="decided-heading"' not in pages["officer"]


def test_it_gives_a_member_of_a_second_body_the_work_of_both(client, cast, cycle):
    from accounts.models import Body, Role
    from accounts.services import membership_grant

    alone = desk(client, cast["leader"])
    membership_grant(
        user=cast["leader"],
        body=Body.objects.get(code="thanh-uy-cam-ranh"),
        role=Role.objects.get(code="officer"),
        acting_user=None,
        reason="test",
    )

    both = desk(client, cast["leader"])
    assert reverse("assignment_detail", args=[cycle.on_time.pk]) not in alone
    assert reverse("assignment_detail", args=[cycle.on_time.pk]) in both
    # The officer of Nha Trang alone still gets Nha Trang's page only.
    assert reverse("assignment_detail", args=[cycle.on_time.pk]) not in desk(
        client, cast["officer"]
    )


# Kept or computed, the same page


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("who", ["officer", "leader"])
@pytest.mark.parametrize("name", ["home", "agency_home"])
def test_it_serves_the_kept_page_byte_for_byte_as_computed(
    client, cast, cycle, who, language, name
):
    cache.clear()
    computed = desk(client, cast[who], language=language, path=reverse(name))
    kept = desk(client, cast[who], language=language, path=reverse(name))

    assert kept == computed
    assert 'id="attention-heading"' in kept


def test_it_shows_the_same_agency_work_on_the_desk_and_on_my_work(client, cast, cycle):
    on_desk = desk(client, cast["leader"])
    on_my_work = desk(client, cast["leader"], path=reverse("agency_home"))

    start = '<section class="panel" aria-labelledby="attention-heading">'
    end = on_desk.rindex("</section>") + len("</section>")
    part = on_desk[on_desk.index(start) : end]
    assert part in on_my_work


# Kept, it costs a few queries whatever the rows


def test_it_serves_the_kept_page_in_the_same_few_queries_however_many_rows(
    client, cast, cycle, grow_programme, django_assert_max_num_queries
):
    def queries() -> tuple[int, int, bytes]:
        client.force_login(cast["leader"])
        with django_assert_max_num_queries(10_000) as computed:
            client.get(reverse("home"))
        with django_assert_max_num_queries(BUDGET) as kept:
            response = client.get(reverse("home"))
        return len(computed), len(kept), response.content

    cold, few, few_page = queries()
    grow(grow_programme, cast, cycle)
    _, many, many_page = queries()

    assert many_page != few_page, "the larger data set should change what the page shows"
    assert many == few, f"{few} queries, then {many} with more rows"
    assert few < cold


def test_it_reads_nothing_but_the_data_version_for_the_kept_agency_work(
    cast, cycle, django_assert_num_queries
):
    from accounts.permissions import active_memberships
    from tasks.dashboards.agency import agency_work_html
    from tasks.dashboards.assignment_list import visibility_class

    leader = cast["leader"]
    today = timezone.localdate()
    # What the page around it has read already.
    active_memberships(leader)
    visibility_class(leader)
    computed = agency_work_html(user=leader, today=today)

    with django_assert_num_queries(1):
        kept = agency_work_html(user=leader, today=today)

    assert kept == computed
    assert reverse("report_detail", args=[cycle.draft.pk]) in kept
