"""Asking for a report queues its build; the job builds it once into an immutable snapshot; a
failure is recorded and logged; a build stuck past the time limit shows as failed; the
operator's command builds one at once."""

import hashlib
import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_q.models import OrmQ

from accounts.models import Body, SecurityEvent
from programme.models import Programme
from reports import jobs
from reports.models import GeneratedReport, GeneratedReportState
from reports.services import generated_report_request
from tasks.models import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def nq23(reference_data):
    return Programme.objects.get(code="nq23")


@pytest.fixture
def period(reference_data):
    return ReportingPeriod.objects.get(code="2026-nam")


def _body_report(leader, nq23, period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return generated_report_request(
            kind="body",
            programme=nq23,
            period=period,
            body=Body.objects.get(code="thanh-uy-nha-trang"),
            acting_user=leader,
        )


def test_asking_queues_the_build_once_the_request_commits(
    leader, nq23, period, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = generated_report_request(
            kind="body",
            programme=nq23,
            period=period,
            body=Body.objects.get(code="thanh-uy-nha-trang"),
            acting_user=leader,
        )
        assert OrmQ.objects.count() == 0
    for callback in callbacks:
        callback()

    assert report.state == GeneratedReportState.QUEUED
    assert report.requested_by == leader
    (queued,) = OrmQ.objects.all()
    task = queued.task
    assert task["func"] == "reports.jobs.report_build"
    assert task["args"] == (report.pk,)
    assert task["timeout"] == settings.REPORT_BUILD_TIMEOUT


def test_the_job_builds_the_report_into_a_kept_snapshot(
    leader, nq23, period, django_capture_on_commit_callbacks
):
    report = _body_report(leader, nq23, period, django_capture_on_commit_callbacks)

    jobs.report_build(report.pk)

    report.refresh_from_db()
    assert report.state == GeneratedReportState.DONE
    assert report.started_at <= report.finished_at
    with report.pdf.open("rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == report.sha256
    with report.xlsx.open("rb") as xlsx:
        assert hashlib.sha256(xlsx.read()).hexdigest() == report.xlsx_sha256
    assert report.page_count >= 1


def test_a_built_report_never_changes(leader, nq23, period, django_capture_on_commit_callbacks):
    report = _body_report(leader, nq23, period, django_capture_on_commit_callbacks)
    jobs.report_build(report.pk)
    report.refresh_from_db()
    before = (report.sha256, report.pdf.name, report.finished_at, report.page_count)

    jobs.report_build(report.pk)  # a retried task

    report.refresh_from_db()
    assert (report.sha256, report.pdf.name, report.finished_at, report.page_count) == before


def test_a_failed_build_is_recorded_and_logged(
    leader, nq23, period, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    report = _body_report(leader, nq23, period, django_capture_on_commit_callbacks)

    def broken(report, **kwargs):
        raise RuntimeError("hết bộ nhớ")

    monkeypatch.setattr("reports.services.report_files", broken)
    with caplog.at_level(logging.ERROR, logger="reports.services"):
        jobs.report_build(report.pk)

    report.refresh_from_db()
    assert report.state == GeneratedReportState.FAILED
    assert "hết bộ nhớ" in report.error
    assert report.pdf.name == ""
    assert any("Building report" in r.message and r.exc_info for r in caplog.records)


def test_a_build_running_past_the_time_limit_shows_as_failed(
    leader, nq23, period, django_capture_on_commit_callbacks, settings
):
    report = _body_report(leader, nq23, period, django_capture_on_commit_callbacks)
    started = timezone.now() - timedelta(seconds=settings.REPORT_BUILD_TIMEOUT + 1)
    GeneratedReport.objects.filter(pk=report.pk).update(
        state=GeneratedReportState.RUNNING, started_at=started
    )
    report.refresh_from_db()

    assert report.is_stuck
    assert report.shown_state == GeneratedReportState.FAILED
    assert not report.is_pending
    jobs.report_build(report.pk)  # the task retried after the worker was stopped
    report.refresh_from_db()
    assert report.state == GeneratedReportState.RUNNING and report.pdf.name == ""


def test_a_report_running_within_the_limit_is_still_pending(
    leader, nq23, period, django_capture_on_commit_callbacks
):
    report = _body_report(leader, nq23, period, django_capture_on_commit_callbacks)
    GeneratedReport.objects.filter(pk=report.pk).update(
        state=GeneratedReportState.RUNNING, started_at=timezone.now()
    )
    report.refresh_from_db()

    assert report.is_pending and report.shown_state == GeneratedReportState.RUNNING


def test_only_those_the_policy_allows_may_ask(officer, nq23, period):
    with pytest.raises(PermissionDenied):
        generated_report_request(
            kind="standing_committee", programme=nq23, period=period, acting_user=officer
        )
    with pytest.raises(PermissionDenied):
        generated_report_request(
            kind="body",
            programme=nq23,
            period=period,
            body=Body.objects.get(code="thanh-uy-cam-ranh"),
            acting_user=officer,
        )
    assert not GeneratedReport.objects.exists()


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"period": True, "as_of_date": date(2026, 6, 30)}, None),
        ({}, None),
        ({"as_of_date": date(2099, 1, 1)}, "as_of_date"),
        ({"as_of_date": date(2018, 1, 1)}, "as_of_date"),
    ],
)
def test_it_refuses_parameters_that_describe_no_report(reviewer, nq23, period, parameters, field):
    if parameters.pop("period", False):
        parameters["period"] = period
    with pytest.raises(ValidationError) as refused:
        generated_report_request(
            kind="standing_committee", programme=nq23, acting_user=reviewer, **parameters
        )
    if field:
        assert field in refused.value.message_dict
    assert not GeneratedReport.objects.exists()


def test_the_command_builds_a_report_now(reference_data, period, tmp_path, capsys):
    output = tmp_path / "bao-cao.pdf"

    call_command(
        "build_report",
        kind="body",
        period=period.pk,
        body="thanh-uy-nha-trang",
        output=str(output),
    )

    report = GeneratedReport.objects.get()
    assert output.read_bytes().startswith(b"%PDF")
    assert hashlib.sha256(output.read_bytes()).hexdigest() == report.sha256
    assert capsys.readouterr().out.splitlines() == [str(output), f"{report.page_count} pages"]
    export = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert export.username == "manage.py build_report"
    assert str(output) in export.detail and report.sha256 in export.detail


def test_the_command_names_what_is_wrong(reference_data, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("build_report", "--kind=oversight", "--as-of=2026-06-30", "--output=x.pdf")
    with pytest.raises(CommandError):
        call_command(
            "build_report", "--kind=body", "--period=999999", f"--output={tmp_path / 'x.pdf'}"
        )
    assert not GeneratedReport.objects.exists()
