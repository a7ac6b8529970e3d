"""A report as of a date shows the state on that date, rebuilt from the change history: an
edit before the date shows, one after it does not. A report for last June must not show a
completion accepted in August."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from programme.models import Programme
from reports.as_of import programme_state
from reports.build import report_document
from reports.models import GeneratedReportState
from reports.services import end_of_day
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.reports import (
    ReportData,
    document_cite,
    report_accept,
    report_create,
    report_submit,
)
from tasks.status import Status

from .conftest import build, flat, pdf_text

pytestmark = pytest.mark.django_db

RESULT = "Đã hoàn thành quy hoạch cụm công nghiệp phía Bắc."


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def redate(model, since_history_id: int, when: datetime) -> None:
    """Stamp the history rows written since `since_history_id` with `when`, as if those changes
    had been made then."""
    model.history.filter(history_id__gt=since_history_id).update(history_date=when)


def last_history_id(model) -> int:
    return model.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


@pytest.fixture
def timeline(cast):
    """The reference data recorded on 2 January 2026; on 1 March a deadline of 31 May for Nha
    Trang's task; in August its completion, reported and accepted; on 20 July a deadline for
    Cam Ranh's."""
    reviewer, officer, leader = cast["reviewer"], cast["officer"], cast["leader"]
    Assignment.history.update(history_date=at(date(2026, 1, 2)))
    nha_trang = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    cam_ranh = Assignment.objects.get(
        item__key="III.1.b1.s3", body__code="thanh-uy-cam-ranh", role="implement_locally"
    )

    mark = last_history_id(Assignment)
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=date(2026, 5, 31),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )
    redate(Assignment, mark, at(date(2026, 3, 1)))

    marks = {model: last_history_id(model) for model in (Assignment, ProgressReport)}
    report = report_create(
        assignment=nha_trang,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        data=ReportData(result=RESULT, percent_complete=100, claims_completion=True),
        acting_user=officer,
    )
    document_cite(
        report=report,
        number="7/QĐ-UBND",
        issued_on=date(2026, 8, 1),
        issuer="UBND thành phố Nha Trang",
        title="",
        acting_user=officer,
    )
    report_submit(report=report, acting_user=leader)
    report_accept(report=report, acting_user=reviewer)
    for model, mark in marks.items():
        redate(model, mark, at(date(2026, 8, 12)))

    mark = last_history_id(Assignment)
    assignment_set_deadline(
        assignment=cam_ranh,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )
    redate(Assignment, mark, at(date(2026, 7, 20)))
    return nha_trang, cam_ranh


def _state(day: date):
    return programme_state(programme=Programme.objects.get(code="nq23"), moment=end_of_day(day))


def _as_of(state, assignment):
    return next(a for a in state.assignments if a.id == assignment.pk)


def test_last_june_shows_the_deadline_set_before_and_not_the_completion_after(timeline):
    nha_trang, cam_ranh = timeline
    june = _state(date(2026, 6, 30))

    assert _as_of(june, nha_trang).deadline == date(2026, 5, 31)
    assert june.status(_as_of(june, nha_trang)) == Status.OVERDUE
    assert june.latest_accepted(_as_of(june, nha_trang)) is None
    assert not [r for r in june.reports if r.assignment_id == nha_trang.pk]
    assert june.status(_as_of(june, cam_ranh)) == Status.ONGOING


def test_september_shows_the_completion_and_the_deadline_set_in_july(timeline):
    nha_trang, cam_ranh = timeline
    september = _state(date(2026, 9, 1))

    assert september.status(_as_of(september, nha_trang)) in (
        Status.COMPLETED_ON_TIME,
        Status.COMPLETED_LATE,
    )
    assert september.latest_accepted(_as_of(september, nha_trang)).result == RESULT
    assert _as_of(september, cam_ranh).deadline == date(2026, 12, 31)
    assert september.status(_as_of(september, cam_ranh)) == Status.IN_PROGRESS


def test_before_anything_was_recorded_nothing_is_rebuilt(timeline):
    assert _state(date(2025, 12, 31)).assignments == []


def test_the_pdf_as_of_june_does_not_show_the_august_completion(timeline):
    june = build("standing_committee", as_of_date=date(2026, 6, 30))
    september = build("standing_committee", as_of_date=date(2026, 9, 1))

    assert june.state == september.state == GeneratedReportState.DONE
    assert june.data_as_of == end_of_day(date(2026, 6, 30))
    june_text = flat("\n".join(pdf_text(june)))
    september_text = flat("\n".join(pdf_text(september)))
    assert "(Tính đến ngày 30/06/2026)" in june_text
    assert RESULT not in june_text
    assert RESULT in september_text
    overdue = next(t for t in report_document(june).tables if t.sheet == "Quá hạn")
    assert [row.cells[2:] for row in overdue.rows] == [("Thành ủy Nha Trang", "31/05/2026", 30)]


def test_a_rebuild_from_the_same_parameters_is_the_same_document(timeline):
    first = build("standing_committee", as_of_date=date(2026, 6, 30))
    second = build("standing_committee", as_of_date=date(2026, 6, 30))

    assert pdf_text(first) == pdf_text(second)
