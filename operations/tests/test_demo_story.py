"""The demo story, loaded once for the module as `make run` loads it: through the services,
with the clock at each step's date. Its counts are those the story tells (docs/data.md), its
history names who did what and why, in the past, and loading it again changes nothing."""

import sys
from collections import Counter
from datetime import date, datetime

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import Membership, Role
from indicators.models import ExplanationRequest, YearlyFigure
from operations.demo import Outcome, demo_story_load
from operations.demo.cast import SET_UP
from operations.demo.story import status_reports
from operations.demo.telling import Story
from reports.models import GeneratedReport, GeneratedReportState
from tasks.models import (
    Assignment,
    ExtensionRequest,
    Finding,
    ProgressReport,
    ReportingPeriod,
)
from tasks.reporting import ReportingStatus, reporting_counts_by
from tasks.status import Status, assignment_status

TODAY = date(2026, 12, 3)
STORY_PERIODS = ("2024-nam", "2025-6t", "2025-nam", "2026-6t", "2026-nam")
# The assignments the story follows: (task, body, role).
STORY_WORK = (
    ("III.1.b1", "ban-can-su-dang-ubnd-tinh", "lead"),
    ("III.3.b1", "ban-can-su-dang-ubnd-tinh", "lead"),
    ("III.9.b4", "ban-can-su-dang-ubnd-tinh", "lead"),
    ("III.5.b5", "ban-can-su-dang-ubnd-tinh", "lead"),
    ("III.6.b3", "ban-can-su-dang-ubnd-tinh", "lead"),
    ("III.1.b2", "so-cong-thuong", "coordinate"),
    ("III.6.b5", "so-cong-thuong", "delegated"),
    ("III.4.b4", "so-ke-hoach-va-dau-tu", "coordinate"),
    ("III.1.b1.s2", "thanh-uy-nha-trang", "implement_locally"),
    ("III.10.b1", "thanh-uy-nha-trang", "implement_locally"),
    ("III.1.b1.s3", "thanh-uy-cam-ranh", "implement_locally"),
    ("III.10.b1", "thanh-uy-cam-ranh", "implement_locally"),
    ("III.1.b1.s1", "thi-uy-ninh-hoa", "implement_locally"),
)
# The history of the rows the story itself writes.
STORY_MODELS = (ProgressReport, ExtensionRequest, Finding, YearlyFigure, ExplanationRequest)


@pytest.fixture(scope="module")
def story(django_db_setup, django_db_blocker):
    """The story loaded into the test database, without its PDF reports (built by their own
    test), inside a transaction rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEBUG=True):
                outcome = demo_story_load(with_status_reports=False)
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield outcome
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def story_work():
    assignments = Assignment.objects.none()
    for item, body, role in STORY_WORK:
        assignments |= Assignment.objects.filter(
            item__key=item, body__code=body, role=role, item__programme__code="nq23"
        )
    return assignments


def test_it_loads(story, db):
    assert story.outcome is Outcome.LOADED
    assert story.steps > 200
    assert {p.code: p.state for p in ReportingPeriod.objects.filter(code__in=STORY_PERIODS)} == {
        "2024-nam": "closed",
        "2025-6t": "closed",
        "2025-nam": "closed",
        "2026-6t": "closed",
        "2026-nam": "open",
    }


def test_reports_are_in_every_state_the_story_tells(story, db):
    by_period_and_state = Counter(ProgressReport.objects.values_list("period__code", "state"))

    assert by_period_and_state == {
        ("2024-nam", "accepted"): 10,
        ("2025-6t", "accepted"): 10,
        ("2025-6t", "draft"): 1,
        ("2025-nam", "accepted"): 11,
        ("2026-6t", "accepted"): 10,
        ("2026-nam", "accepted"): 2,
        ("2026-nam", "submitted"): 4,
        ("2026-nam", "returned"): 1,
        ("2026-nam", "draft"): 2,
    }
    # Returned, revised and accepted: the reason stays on the accepted report.
    assert ProgressReport.objects.filter(state="accepted").exclude(return_reason="").count() == 4
    # Returned, revised and sent again: waiting, first sent before the due date.
    resubmitted = ProgressReport.objects.get(state="submitted", version__gt=1)
    assert resubmitted.first_submitted_at < resubmitted.submitted_at
    assert timezone.localdate(resubmitted.first_submitted_at) <= resubmitted.period.due_on


def test_reporting_status_counts_are_those_the_story_tells(story, db):
    """Sent on time, sent late and overdue, for the work the story follows and for all."""
    expected = {
        "2024-nam": (8, 2),
        "2025-6t": (8, 2),
        "2025-nam": (8, 3),
        "2026-6t": (8, 2),
        "2026-nam": (6, 1),
    }
    totals = Counter()
    for period in ReportingPeriod.objects.filter(code__in=STORY_PERIODS):
        followed = reporting_counts_by(period, today=TODAY, assignments=story_work())
        assert (
            followed.get(ReportingStatus.SENT_ON_TIME, 0),
            followed.get(ReportingStatus.SENT_LATE, 0),
        ) == expected[period.code], period.code
        totals.update(reporting_counts_by(period, today=TODAY))

    assert totals[ReportingStatus.SENT_ON_TIME] == 38
    assert totals[ReportingStatus.SENT_LATE] == 10
    # Everything else owed is overdue: every due date has passed on 3/12/2026.
    assert totals[ReportingStatus.OVERDUE] > 100
    assert set(totals) == {
        ReportingStatus.SENT_ON_TIME,
        ReportingStatus.SENT_LATE,
        ReportingStatus.OVERDUE,
    }


def test_fixed_deadlines_are_met_missed_and_extended(story, db):
    fixed = {
        (a.item.key, a.body.code): a
        for a in Assignment.objects.filter(deadline_kind="fixed").select_related("item", "body")
    }
    statuses = {key: assignment_status(a, today=TODAY) for key, a in fixed.items()}

    assert statuses == {
        ("III.3.b1", "ban-can-su-dang-ubnd-tinh"): Status.COMPLETED_ON_TIME,
        ("III.9.b4", "ban-can-su-dang-ubnd-tinh"): Status.COMPLETED_ON_TIME,
        ("III.1.b1.s2", "thanh-uy-nha-trang"): Status.COMPLETED_LATE,
        ("III.4.b4", "so-ke-hoach-va-dau-tu"): Status.OVERDUE,
        ("III.1.b1.s3", "thanh-uy-cam-ranh"): Status.OVERDUE,
        ("III.5.b5", "ban-can-su-dang-ubnd-tinh"): Status.DUE_SOON,
    }
    # On time only thanks to its extension: late against the original deadline.
    extended = fixed[("III.9.b4", "ban-can-su-dang-ubnd-tinh")]
    assert extended.deadline < extended.completed_on <= extended.extended_deadline
    assert Counter(ExtensionRequest.objects.values_list("state", flat=True)) == {
        "approved": 1,
        "refused": 1,
        "pending": 1,
    }
    delegated = Assignment.objects.get(role="delegated")
    assert (delegated.body.code, delegated.parent.body.code) == (
        "so-cong-thuong",
        "ban-can-su-dang-ubnd-tinh",
    )
    assert Finding.objects.count() == 4
    assert Counter(ExplanationRequest.objects.values_list("state", flat=True)) == {
        "answered": 1,
        "open": 1,
    }
    assert Counter(YearlyFigure.objects.values_list("state", flat=True)) == {
        "accepted": 8,
        "submitted": 1,
        "returned": 1,
    }


def test_history_names_who_did_it_and_why_in_the_past(story, db):
    now = timezone.now()
    for model in STORY_MODELS:
        rows = list(model.history.all())
        assert rows, model
        for row in rows:
            assert row.history_user_id is not None, (model, row.pk)
            assert row.history_change_reason, (model, row.pk)
            assert SET_UP <= row.history_date < now, (model, row.history_date)
    # The story's changes to rows it did not create: deadlines, completions, the periods.
    for model in (Assignment, ReportingPeriod):
        changes = list(model.history.filter(history_type="~"))
        assert changes, model
        for row in changes:
            assert row.history_user_id is not None and row.history_change_reason, (model, row.pk)
            assert SET_UP <= row.history_date < now
    # Times are the story's, not the loading's: every report was sent before the period's
    # review ended, and accepted late ones were sent after the due date.
    for report in ProgressReport.objects.exclude(state="draft").select_related("period"):
        assert report.submitted_at < datetime(2026, 12, 3, tzinfo=timezone.get_default_timezone())
        if report.reviewed_at:
            assert report.reviewed_at > report.first_submitted_at


def test_each_demo_account_has_something_to_see(story, db):
    def members(role, body):
        return set(
            Membership.objects.filter(role__code=role, body__code=body).values_list(
                "user__username", flat=True
            )
        )

    open_period = ReportingPeriod.objects.get(code="2026-nam")
    # The Party Office's reviewer: reports and a figure to review, an extension to decide.
    assert ProgressReport.objects.filter(period=open_period, state="submitted").count() == 4
    assert ExtensionRequest.objects.filter(state="pending").exists()
    assert members(Role.REVIEWER, "van-phong-tinh-uy") == {"vanphong"}
    # Each officer's and leader's body has something in the open period or a question open.
    for body in ("ban-can-su-dang-ubnd-tinh", "so-cong-thuong", "thanh-uy-nha-trang"):
        assert ProgressReport.objects.filter(
            period=open_period, assignment__body__code=body
        ).exists(), body
    assert ExplanationRequest.objects.filter(state="open", body__code="thanh-uy-cam-ranh").exists()
    assert YearlyFigure.objects.filter(state="returned", body__code="so-cong-thuong").exists()
    # The supervisors recorded findings; the Standing Committee member reads all of it.
    recorders = set(Finding.objects.values_list("recorded_by__username", flat=True))
    assert recorders == {"giamsat.hdnd", "giamsat.mttq"}


def test_loading_twice_changes_nothing(story, db, capsys):
    def snapshot():
        return {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy
        }

    before = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo_story")

    assert snapshot() == before
    assert capsys.readouterr().out.strip()  # says so, in the active language
    with override_settings(DEBUG=True):
        assert demo_story_load().outcome is Outcome.ALREADY_THERE


def test_its_last_day_builds_the_status_reports(story, db):
    """The status report to the Standing Committee and the Front's oversight report, built as
    the story's last step does in `make run` (into the test settings' report storage)."""
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 3, 7, 30)), tick=False):
        status_reports(Story())

    built = list(GeneratedReport.objects.values_list("kind", "state", "requested_by__username"))
    assert sorted(built) == [
        ("oversight", GeneratedReportState.DONE, "giamsat.mttq"),
        ("standing_committee", GeneratedReportState.DONE, "vanphong"),
    ]
    assert all(r.page_count > 1 for r in GeneratedReport.objects.all())
