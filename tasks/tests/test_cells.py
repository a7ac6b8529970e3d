"""The assignment list's cells written in Python (tasks.cells) are byte for byte what the cell
templates write, which other pages still include: for every deadline kind, every count of days,
every status and reporting status, every state of the period's report, in both languages."""

from datetime import date, timedelta
from itertools import product

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tasks.cells import deadline_cell, path_to, period_report_cell, status_tag
from tasks.dashboards.base import with_days
from tasks.models import Assignment
from tasks.reporting import ReportingStatus
from tasks.status import Status

TODAY = date(2026, 12, 5)
LANGUAGES = ["vi", "en"]


def assignments_of_every_deadline() -> list[Assignment]:
    made = []
    deadlines = [None, TODAY, TODAY + timedelta(1), TODAY + timedelta(12), TODAY - timedelta(1)]
    deadlines.append(TODAY - timedelta(1234))
    for kind, deadline, extended, completed in product(
        Assignment.DeadlineKind.values,
        deadlines,
        [None, TODAY + timedelta(30)],
        [None, TODAY - timedelta(3)],
    ):
        assignment = Assignment(
            deadline_kind=kind,
            deadline=deadline,
            extended_deadline=extended,
            completed_on=completed,
        )
        assignment.effective_deadline_on = extended or deadline
        made.append(assignment)
    return with_days(made, today=TODAY)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_deadline_cell_is_the_templates(language):
    with translation.override(language):
        for assignment in assignments_of_every_deadline():
            expected = render_to_string(
                "tasks/cells/assignment_deadline.html", {"assignment": assignment}
            )
            assert deadline_cell(assignment) == expected, vars(assignment)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_status_tag_is_the_templates(language):
    with translation.override(language):
        for status in [*Status.values, "", None, "<b>"]:
            expected = render_to_string("tasks/includes/dash_status.html", {"status": status})
            assert status_tag(status) == expected, status


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_period_report_cell_is_the_templates(language):
    states = ["submitted", "accepted", "draft", "returned", None, "other"]
    with translation.override(language):
        for state, status in product(states, [*ReportingStatus.values, ""]):
            assignment = Assignment()
            assignment.period_report_state = state
            assignment.period_report_id = 4321 if state else None
            assignment.reporting_status = status
            expected = render_to_string(
                "tasks/cells/assignment_period_report.html", {"assignment": assignment}
            )
            assert period_report_cell(assignment) == expected, (state, status)
        bare = Assignment()  # no period chosen: nothing annotated
        expected = render_to_string(
            "tasks/cells/assignment_period_report.html", {"assignment": bare}
        )
        assert period_report_cell(bare) == expected


def test_a_path_from_its_halves_is_the_reversed_path():
    for name, argument in [
        ("assignment_detail", 1),
        ("assignment_detail", 9081726354),
        ("report_detail", 77),
        ("body_detail", "thanh-uy-nha-trang"),
        ("body_detail", "co-quan_2"),
    ]:
        assert path_to(name, argument) == reverse(name, args=[argument])
