"""The bulk steps' queries do not grow with the selection, but for the writes themselves.

A confirmation page reads the selected rows, and what the rules need of them, in one query
each, so 5 rows and 20 cost the same. The step itself reads the same way and then saves each
row on its own, so each has its own history record: per row, the UPDATE of the assignment and
the INSERT of its history record, and nothing else.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import Assignment, ReportingPeriod
from tasks.services.assignments import assignments_set_deadline

pytestmark = pytest.mark.database

BUDGET = 12
# Per row changed: the assignment's UPDATE and its history record's INSERT.
WRITES_PER_ROW = 2


def selection(count: int, *, offset: int = 0) -> list[Assignment]:
    return list(
        Assignment.objects.filter(completed_on__isnull=True, cancelled_on__isnull=True).order_by(
            "pk"
        )[offset : offset + count]
    )


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_the_deadline_steps_pages_cost_the_same_for_5_rows_and_for_20(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast["reviewer"])
    url = reverse("assignment_bulk_deadline")

    def confirm(rows):
        response = client.get(
            url,
            {
                "ids": [a.pk for a in rows],
                "kind": "fixed",
                "deadline": "2027-06-30",
                "reason": "Theo kế hoạch",
            },
        )
        assert response.status_code == 200

    confirm(selection(5))  # warm the session and the permission caches alike
    with django_assert_max_num_queries(BUDGET):
        few = queries(lambda: confirm(selection(5)))
    with django_assert_max_num_queries(BUDGET):
        many = queries(lambda: confirm(selection(20)))

    assert few == many


def test_the_period_steps_page_costs_the_same_for_5_rows_and_for_20(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast["reviewer"])
    period = ReportingPeriod.objects.filter(state=ReportingPeriod.State.PLANNED).first()

    def confirm(rows):
        response = client.get(
            reverse("assignment_bulk_period"),
            {"ids": [a.pk for a in rows], "period": period.pk, "change": "open"},
        )
        assert response.status_code == 200

    confirm(selection(5))
    with django_assert_max_num_queries(BUDGET):
        few = queries(lambda: confirm(selection(5)))
    with django_assert_max_num_queries(BUDGET):
        many = queries(lambda: confirm(selection(20)))

    assert few == many


def test_setting_a_deadline_on_20_rows_costs_only_the_writes_more_than_on_5(cast):
    reviewer = cast["reviewer"]

    def step(rows):
        # A fresh user each time, as each request has, so no cache is carried over.
        user = type(reviewer).objects.get(pk=reviewer.pk)
        return queries(
            lambda: assignments_set_deadline(
                assignments=rows,
                kind="fixed",
                deadline=date(2027, 6, 30),
                acting_user=user,
                reason="Theo kế hoạch",
            )
        )

    step(selection(1, offset=25))  # the reviewer's cached access, warm as in use
    few = step(selection(5))
    many = step(selection(20, offset=5))

    assert many - few == WRITES_PER_ROW * (20 - 5)
    # The reads: a fixed number, whatever the selection.
    assert few - WRITES_PER_ROW * 5 <= BUDGET
