"""Status over a table of dated cases, computed in Python and in SQL alike."""

from datetime import date

import pytest

from accounts.models import Body
from programme.models import Item
from tasks.models import Assignment
from tasks.status import Deadlines, Status, rolled_up, status_expression, status_of

pytestmark = pytest.mark.database

TODAY = date(2026, 11, 28)
D = date

# (kind, deadline, extended deadline, completed on) -> status, with DUE_SOON_DAYS = 7
CASES = [
    (("fixed", D(2026, 12, 31), None, None), Status.IN_PROGRESS),
    (("fixed", D(2026, 12, 5), None, None), Status.DUE_SOON),
    (("fixed", D(2026, 11, 28), None, None), Status.DUE_SOON),
    (("fixed", D(2026, 11, 27), None, None), Status.OVERDUE),
    (("fixed", D(2026, 11, 1), D(2026, 12, 31), None), Status.IN_PROGRESS),
    (("fixed", D(2026, 11, 1), D(2026, 11, 20), None), Status.OVERDUE),
    (("fixed", D(2026, 11, 1), D(2026, 12, 1), None), Status.DUE_SOON),
    (("fixed", D(2026, 6, 30), None, D(2026, 6, 30)), Status.COMPLETED_ON_TIME),
    (("fixed", D(2026, 6, 30), None, D(2026, 7, 1)), Status.COMPLETED_LATE),
    (("fixed", D(2026, 6, 30), D(2026, 9, 30), D(2026, 8, 15)), Status.COMPLETED_ON_TIME),
    (("fixed", D(2026, 6, 30), D(2026, 9, 30), D(2026, 10, 1)), Status.COMPLETED_LATE),
    (("recurring", None, None, None), Status.ONGOING),
    (("recurring", None, None, D(2026, 5, 1)), Status.COMPLETED_ON_TIME),
    (("none", None, None, None), Status.IN_PROGRESS),
    (("none", None, None, D(2025, 1, 1)), Status.COMPLETED_ON_TIME),
]


@pytest.mark.parametrize(("dates", "expected"), CASES)
def test_it_classifies_each_case(dates, expected):
    assert status_of(Deadlines(*dates), today=TODAY, soon_days=7) == expected


@pytest.mark.django_db
def test_the_sql_expression_agrees_with_python_on_every_case(reference_data):
    body = Body.objects.get(code="bo-chinh-tri")  # a body with no assignments of its own
    tasks = list(Item.objects.tasks()[: len(CASES)])
    expected = {}
    for ((kind, deadline, extended, completed), status), item in zip(CASES, tasks, strict=True):
        assignment = Assignment.objects.create(
            item=item,
            body=body,
            role=Assignment.Role.COORDINATE,
            deadline_kind=kind,
            deadline=deadline,
            extended_deadline=extended,
            completed_on=completed,
        )
        expected[assignment.pk] = status.value
    annotated = dict(
        Assignment.objects.filter(body=body)
        .annotate(status=status_expression(today=TODAY, soon_days=7))
        .values_list("pk", "status")
    )
    assert annotated == expected


def test_a_task_rolls_up_to_its_worst_unfinished_part():
    assert rolled_up([Status.COMPLETED_ON_TIME, Status.OVERDUE, Status.DUE_SOON]) == Status.OVERDUE
    assert rolled_up([Status.ONGOING, Status.IN_PROGRESS]) == Status.IN_PROGRESS
    assert rolled_up([Status.COMPLETED_ON_TIME, Status.COMPLETED_LATE]) == Status.COMPLETED_LATE
    assert rolled_up([Status.COMPLETED_ON_TIME]) == Status.COMPLETED_ON_TIME
    assert rolled_up([]) is None
