"""The assignment list's filters and table are cached as rendered (tasks.views.dashboards):
each write people make through the services shows on the very next request, users who see
different rows never share an entry, the page from the cache is the page computed afresh, and
a cached page costs a few queries however many rows it shows.

The cycle (tasks/tests/test_dashboards.py) is made through the services: Nha Trang keeps a
draft and has a report returned, Cam Ranh has two reports accepted, one of them late."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from review.services import tracked_save
from tasks.dashboards.assignment_list import visibility_key
from tasks.models import Assignment
from tasks.permissions import assignment_policy
from tasks.tests.test_dashboards import (
    NHA_TRANG,
    build_cycle,
    member,
    result_count,
    set_deadline,
    submit,
)
from versions.data import fragment_key

pytestmark = pytest.mark.database

BUDGET = 12
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
ROW = re.compile(r'<tr data-assignment="(\d+)">(.*?)</tr>', re.DOTALL)


@pytest.fixture
def cycle(cast):
    return build_cycle(cast)


def rows(client, **params) -> dict[int, str]:
    """{assignment id: its row's HTML} on the page the list answers for the query."""
    response = client.get(reverse("assignment_list"), params)
    assert response.status_code == 200
    return {int(pk): markup for pk, markup in ROW.findall(response.content.decode())}


def signed_in(client, user):
    client.force_login(user)
    return client


def clients_of(*users) -> list[Client]:
    """A signed-in client for each user, all signed in before any of them asks for a page:
    a sign-in writes the user's last sign-in, and so moves the data version."""
    clients = [Client() for _ in users]
    for client, user in zip(clients, users, strict=True):
        client.force_login(user)
    return clients


def cached_content(user, query: str) -> str:
    """What the list keeps in the cache for the user and the query string."""
    steps = ",".join(sorted(assignment_policy.bulk_steps(user)))
    key = fragment_key(
        "assignment-list", visibility_key(user), steps, query, timezone.localdate().isoformat()
    )
    content = cache.get(key)
    assert content is not None, "the list was not cached under its key"
    return content


# Stale after a write: the next request shows it


def test_a_report_sent_shows_in_the_period_column_on_the_next_request(client, cast, cycle):
    signed_in(client, cast["reviewer"])
    link = reverse("report_detail", args=[cycle.draft.pk])
    query = {"period": cycle.period.pk, "per_page": 100}
    assert link not in rows(client, **query)[cycle.due_soon.pk]  # another body's draft

    submit(cycle.draft, cast["leader"])

    assert link in rows(client, **query)[cycle.due_soon.pk]


def test_a_deadline_changed_and_the_status_it_brings_show_on_the_next_request(client, cast, cycle):
    signed_in(client, cast["reviewer"])
    before = rows(client, per_page=100)[cycle.due_soon.pk]
    assert "tag--due_soon" in before
    past = timezone.localdate() - timedelta(days=7)

    set_deadline(cycle.due_soon, past, cast["reviewer"])

    after = rows(client, per_page=100)[cycle.due_soon.pk]
    assert date_format(past, "d/m/Y") in after
    assert "tag--overdue" in after and "tag--due_soon" not in after


def test_an_extension_granted_shows_on_the_next_request(client, cast, cycle):
    from tasks.services.extensions import extension_decide, extension_request

    signed_in(client, cast["reviewer"])
    assert "deadline-original" not in rows(client, per_page=100)[cycle.due_soon.pk]
    later = timezone.localdate() + timedelta(days=40)

    request = extension_request(
        assignment=cycle.due_soon,
        proposed_deadline=later,
        reason="Chờ quy hoạch",
        acting_user=cast["leader"],
    )
    extension_decide(request=request, approve=True, note="", acting_user=cast["reviewer"])

    row = rows(client, per_page=100)[cycle.due_soon.pk]
    assert date_format(later, "d/m/Y") in row and "deadline-original" in row


def test_an_assignment_cancelled_or_added_shows_on_the_next_request(client, cast, cycle):
    signed_in(client, cast["reviewer"])
    query = {"body": cycle.due_soon.body_id, "per_page": 100}
    assert cycle.due_soon.pk in rows(client, **query)

    cancelled = Assignment.objects.get(pk=cycle.due_soon.pk)
    cancelled.cancelled_on = timezone.localdate()
    tracked_save(cancelled, acting_user=cast["reviewer"], reason="Thôi giao")
    assert cycle.due_soon.pk not in rows(client, **query)

    added = Assignment(item=cycle.late.item, body=cycle.due_soon.body, role="coordinate")
    tracked_save(added, acting_user=cast["reviewer"], reason="Giao thêm")
    assert added.pk in rows(client, **query)


# Never across users


def test_an_officer_never_gets_the_rows_a_global_reader_filled_the_cache_with(client, cast, cycle):
    # The standing member sees every body's work and, like the officer, takes no bulk step:
    # only the visibility tells their entries apart.
    query = {"period": cycle.period.pk, "per_page": 100}
    reader, officer = clients_of(cast["standing_member"], cast["officer"])
    reader_rows = rows(reader, **query)

    officer_rows = rows(officer, **query)

    visible = set(
        assignment_policy.instances_user_has_permission_for(cast["officer"], "view").values_list(
            "pk", flat=True
        )
    )
    assert officer_rows and set(officer_rows) <= visible
    assert set(officer_rows) != set(reader_rows)
    # Nha Trang's own draft: its officer sees it, the reader before them did not.
    link = reverse("report_detail", args=[cycle.draft.pk])
    assert link in officer_rows[cycle.due_soon.pk]
    assert link not in reader_rows[cycle.due_soon.pk]
    # And back: the reader asking again after the officer gets every body's rows.
    assert rows(reader, **query) == reader_rows


def test_two_bodies_and_two_roles_of_one_body_keep_apart(client, cast, cycle):
    query = {"per_page": 100}
    # A supervisor sitting in Nha Trang sees what Nha Trang supervises, not its own work.
    supervisor = member("giamsat.nhatrang", NHA_TRANG, "supervisor")
    officer, other, supervising = clients_of(cast["officer"], cast["other_officer"], supervisor)
    nha_trang = rows(officer, **query)
    cam_ranh = rows(other, **query)
    supervised = rows(supervising, **query)

    assert nha_trang and cam_ranh
    assert not set(nha_trang) & set(cam_ranh)
    assert supervised != nha_trang
    assert visibility_key(supervisor) != visibility_key(cast["officer"])


def test_only_who_may_take_a_bulk_step_gets_the_tick_boxes(client, cast, cycle):
    reviewer, reader = clients_of(cast["reviewer"], cast["standing_member"])
    reviewer_page = reviewer.get(reverse("assignment_list"))
    standing_page = reader.get(reverse("assignment_list"))

    assert 'name="ids"' in reviewer_page.content.decode()
    assert 'name="ids"' not in standing_page.content.decode()


# The cached page is the page


def test_the_page_from_the_cache_is_the_page_computed_afresh(client, cast, cycle):
    signed_in(client, cast["officer"])
    url = reverse("assignment_list")
    query = {"period": cycle.period.pk, "sort": "-deadline", "per_page": 25}

    cold = client.get(url, query).content.decode()
    warm = client.get(url, query).content.decode()

    assert CSRF.sub("", warm) == CSRF.sub("", cold)
    assert 'data-assignment="' in cold


def test_what_is_cached_holds_no_csrf_token_and_no_name(client, cast, cycle):
    user = cast["reviewer"]
    signed_in(client, user)
    query = f"period={cycle.period.pk}&per_page=25"
    page = client.get(f"{reverse('assignment_list')}?{query}").content.decode()

    content = cached_content(user, query)

    assert content in page
    assert 'id="bulk-form"' in content
    assert "csrfmiddlewaretoken" not in content and "csrfmiddlewaretoken" in page
    assert user.full_name not in content and user.username not in content


def test_an_export_is_not_cached_and_is_logged_each_time(client, cast, cycle):
    from accounts.models import SecurityEvent

    signed_in(client, cast["reviewer"])
    url = reverse("assignment_list")
    client.get(url, {"export": "csv"})
    client.get(url, {"export": "csv"})

    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).count() == 2


# A cached page costs a few queries, however many rows


def warm_queries(client, url: str, django_assert_max_num_queries) -> int:
    client.get(url)
    with django_assert_max_num_queries(BUDGET) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["reviewer", "officer"])
def test_a_cached_page_costs_the_same_few_queries_for_few_rows_as_for_many(
    client, cast, cycle, grow_programme, django_assert_max_num_queries, role
):
    from tasks.tests.test_dashboards import grow

    signed_in(client, cast[role])
    url = f"{reverse('assignment_list')}?period={cycle.period.pk}&per_page=100"
    few = warm_queries(client, url, django_assert_max_num_queries)
    few_rows = result_count(client.get(url).content.decode())

    grow(grow_programme, cast, cycle)
    many = warm_queries(client, url, django_assert_max_num_queries)

    assert result_count(client.get(url).content.decode()) > few_rows
    assert many == few <= BUDGET
