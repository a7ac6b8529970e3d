"""The API's assignment pages are cached as serialized (api.views.AssignmentViewSet.list): a
write through the services shows in the next answer, callers who see different rows never
share an entry, the page links carry the caller's own host, the cached answer is the answer
computed afresh, and a cached page costs a few queries however many rows it holds."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from review.services import tracked_save
from tasks.models import Assignment
from tasks.permissions import assignment_policy
from tasks.tests.test_dashboards import build_cycle, grow, set_deadline, submit

from .support import body_of, token_client, token_for

pytestmark = [pytest.mark.django_db, pytest.mark.database]

BUDGET = 12
URL = "api:assignment-list"


@pytest.fixture
def cycle(cast):
    return build_cycle(cast)


def api_for(user):
    return token_client(token_for(user))


def listed(api, **params) -> dict[int, dict]:
    answer = api.get(reverse(URL), {"page_size": 200, **params})
    assert answer.status_code == 200, answer.content
    return {row["id"]: row for row in body_of(answer)["results"]}


def reporting_for(row: dict, period_id: int) -> dict | None:
    return next((owed for owed in row["reporting"] if owed["period"] == period_id), None)


def test_a_report_sent_shows_in_the_next_answer(cast, cycle):
    api = api_for(cast["reviewer"])
    query = {"body": cycle.due_soon.body_id}
    before = reporting_for(listed(api, **query)[cycle.due_soon.pk], cycle.period.pk)
    assert before["report"] is None  # a draft is not a sent report

    submit(cycle.draft, cast["leader"])

    after = reporting_for(listed(api, **query)[cycle.due_soon.pk], cycle.period.pk)
    assert (after["report"], after["report_state"]) == (cycle.draft.pk, "submitted")


def test_a_deadline_changed_and_its_status_show_in_the_next_answer(cast, cycle):
    api = api_for(cast["reviewer"])
    query = {"body": cycle.due_soon.body_id}
    assert listed(api, **query)[cycle.due_soon.pk]["status"] == "due_soon"
    past = timezone.localdate() - timedelta(days=7)

    set_deadline(cycle.due_soon, past, cast["reviewer"])

    row = listed(api, **query)[cycle.due_soon.pk]
    assert (row["deadline"], row["status"]) == (past.isoformat(), "overdue")


def test_an_assignment_cancelled_or_added_shows_in_the_next_answer(cast, cycle):
    api = api_for(cast["reviewer"])
    query = {"body": cycle.due_soon.body_id}
    assert cycle.due_soon.pk in listed(api, **query)

    cancelled = Assignment.objects.get(pk=cycle.due_soon.pk)
    cancelled.cancelled_on = timezone.localdate()
    tracked_save(cancelled, acting_user=cast["reviewer"], reason="Thôi giao")
    assert cycle.due_soon.pk not in listed(api, **query)

    added = Assignment(item=cycle.late.item, body=cycle.due_soon.body, role="coordinate")
    tracked_save(added, acting_user=cast["reviewer"], reason="Giao thêm")
    assert added.pk in listed(api, **query)


def test_an_officer_never_gets_the_rows_a_reviewer_filled_the_cache_with(cast, cycle):
    # Tokens first: making one is a write, which moves the data version.
    reviewer, officer, other = (
        api_for(cast[key]) for key in ("reviewer", "officer", "other_officer")
    )
    reviewer_rows = listed(reviewer)

    officer_rows = listed(officer)

    visible = set(
        assignment_policy.instances_user_has_permission_for(cast["officer"], "view").values_list(
            "pk", flat=True
        )
    )
    assert officer_rows and set(officer_rows) <= visible
    assert set(officer_rows) != set(reviewer_rows)
    other_rows = listed(other)
    assert other_rows and not set(other_rows) & set(officer_rows)
    # And back: the reviewer asking again gets every body's rows.
    assert listed(reviewer) == reviewer_rows


def test_the_page_links_carry_the_callers_host(cast, cycle):
    api = api_for(cast["reviewer"])
    url = reverse(URL)

    here = body_of(api.get(url, {"page_size": 2}))["next"]
    there = body_of(api.get(url, {"page_size": 2}, HTTP_HOST="localhost"))["next"]

    assert here.startswith("http://testserver/") and there.startswith("http://localhost/")


def test_the_answer_from_the_cache_is_the_answer_computed_afresh(cast, cycle):
    api = api_for(cast["officer"])
    params = {"page_size": 5, "period": cycle.period.pk}

    cold = api.get(reverse(URL), params)
    warm = api.get(reverse(URL), params)

    assert warm.content == cold.content
    assert body_of(cold)["results"]


def warm_queries(api, params) -> int:
    api.get(reverse(URL), params)
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(reverse(URL), params)
    assert answer.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["reviewer", "officer"])
def test_a_cached_page_costs_the_same_few_queries_for_few_rows_as_for_many(
    cast, cycle, grow_programme, role
):
    api = api_for(cast[role])
    params = {"page_size": 100, "period": cycle.period.pk}
    nha_trang = {"body": cycle.due_soon.body_id}
    few = warm_queries(api, params)
    few_rows = len(listed(api, **nha_trang))

    grow(grow_programme, cast, cycle)
    many = warm_queries(api, params)

    assert len(listed(api, **nha_trang)) > few_rows
    assert many == few <= BUDGET


def test_the_rows_written_out_are_the_serializers(cast, cycle):
    """api.serializers.assignment_rows against AssignmentSerializer, on every assignment with
    its reporting for both open periods: returned, accepted (sent late and on time), drafts."""
    from api.serializers import AssignmentSerializer, assignment_rows
    from api.views import _attach_owed, _open_periods
    from tasks.dashboards.base import with_status

    cycle.due_soon.note = "Ghi chú <b>&</b>"
    tracked_save(cycle.due_soon, acting_user=cast["reviewer"], reason="Ghi chú")
    assignments = list(
        with_status(Assignment.objects.all(), today=timezone.localdate())
        .select_related("item__programme", "body")
        .order_by("pk")
    )
    _attach_owed(assignments, _open_periods())
    assert any(owed.first_sent_at for a in assignments for owed in a.owed)

    written = assignment_rows(assignments)

    assert json.dumps(written) == json.dumps(AssignmentSerializer(assignments, many=True).data)
