"""The one review workflow, taken by both kinds that use it: progress reports and yearly
figures. The same steps keep the first submission through a return, and announce each step
once it is committed, with who took it; a refused step announces nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import YearlyFigure
from indicators.services import (
    FigureData,
    figure_accept,
    figure_create,
    figure_return,
    figure_submit,
)
from programme.models import Target
from review.models import ReviewState
from review.signals import workflow_step
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.services.common import tracked_save
from tasks.services.reports import (
    ReportData,
    report_accept,
    report_create,
    report_return,
    report_submit,
)


def _report(cast):
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    period = ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Đã ban hành kế hoạch.", percent_complete=30),
        acting_user=cast["officer"],
    )
    return report, report_submit, report_return, report_accept, "report"


def _figure(cast):
    share = Target.objects.get(code="ty-trong-cong-nghiep-grdp")
    share.responsible_body = cast["officer"].memberships.get().body
    tracked_save(share, acting_user=None, reason="test")
    figure = figure_create(
        subject=share,
        data=FigureData(2024, Decimal("34"), "Cục Thống kê"),
        acting_user=cast["officer"],
    )
    return figure, figure_submit, figure_return, figure_accept, "figure"


@pytest.fixture(params=[_report, _figure], ids=["report", "figure"])
def kind(request, cast, in_english):
    return request.param(cast)


@pytest.fixture
def heard():
    steps = []

    def listen(sender, instance, step, acting_user, **kwargs):
        steps.append((sender, instance.pk, step, acting_user.username))

    workflow_step.connect(listen)
    yield steps
    workflow_step.disconnect(listen)


def test_both_kinds_go_the_same_way_and_keep_their_first_submission(
    kind, cast, heard, django_capture_on_commit_callbacks
):
    row, submit, give_back, accept, noun = kind
    leader, reviewer = cast["leader"], cast["reviewer"]
    with django_capture_on_commit_callbacks(execute=True):
        row = submit(**{noun: row, "acting_user": leader})
    first = row.first_submitted_at
    assert first is not None and first == row.submitted_at

    with django_capture_on_commit_callbacks(execute=True):
        row = give_back(**{noun: row, "reason": "Thiếu số liệu", "acting_user": reviewer})
        row = submit(**{noun: row, "acting_user": leader})
        row = accept(**{noun: row, "acting_user": reviewer})

    row.refresh_from_db()
    assert row.state == ReviewState.ACCEPTED
    assert row.first_submitted_at == first < row.submitted_at
    model = type(row)
    assert model in (ProgressReport, YearlyFigure)
    assert heard == [
        (model, row.pk, "submitted", leader.username),
        (model, row.pk, "returned", reviewer.username),
        (model, row.pk, "resubmitted", leader.username),
        (model, row.pk, "accepted", reviewer.username),
    ]
    reasons = list(
        row.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        "Draft created",
        "Submitted",
        "Returned: Thiếu số liệu",
        "Resubmitted",
        "Accepted",
    ]


def test_a_refused_step_announces_nothing_and_changes_nothing(
    kind, cast, heard, django_capture_on_commit_callbacks
):
    row, submit, give_back, _accept, noun = kind
    with django_capture_on_commit_callbacks(execute=True):
        submit(**{noun: row, "acting_user": cast["leader"]})
        with pytest.raises(ValidationError):
            give_back(**{noun: row, "reason": "   ", "acting_user": cast["reviewer"]})
    row.refresh_from_db()
    assert row.state == ReviewState.SUBMITTED
    assert [step for *_, step, _user in heard] == ["submitted"]


def test_a_row_written_as_sent_without_its_first_submission_takes_its_last(kind, cast):
    row = kind[0]
    row.state, row.submitted_at = ReviewState.SUBMITTED, row.created_at
    row.save()
    row.refresh_from_db()
    assert row.first_submitted_at == row.submitted_at
