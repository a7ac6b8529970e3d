"""Report builds cannot be queued without limit: asking again for a report still queued or
being built gets that report (no new row, no new job), and a person past a few builds in
flight is told so on the form, with nothing queued."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from accounts.models import Body
from programme.models import Programme
from reports.models import GeneratedReport, GeneratedReportState
from reports.services import TooManyReportBuilds, generated_report_request
from tasks.models import ReportingPeriod

pytestmark = pytest.mark.django_db

LIMIT_MESSAGE = (
    "Mỗi người chỉ được có tối đa 3 báo cáo đang chờ hoặc đang lập cùng lúc; "
    "vui lòng chờ một báo cáo lập xong rồi hãy yêu cầu báo cáo khác."
)


@pytest.fixture
def nq23(reference_data):
    return Programme.objects.get(code="nq23")


@pytest.fixture
def period(reference_data):
    return ReportingPeriod.objects.get(code="2026-nam")


@pytest.fixture
def ask(nq23, period, django_capture_on_commit_callbacks):
    """Ask for a report as the service does for the form, the queued job included; by default
    the body report of Thành ủy Nha Trang for the year 2026."""

    def ask(user, kind="body", body="thanh-uy-nha-trang", **parameters):
        if "as_of_date" not in parameters:
            parameters.setdefault("period", period)
        with django_capture_on_commit_callbacks(execute=True):
            return generated_report_request(
                kind=kind,
                programme=nq23,
                body=Body.objects.get(code=body) if body else None,
                acting_user=user,
                **parameters,
            )

    return ask


def _queued_jobs() -> list[int]:
    return [queued.task["args"][0] for queued in OrmQ.objects.all()]


def test_asking_again_for_a_report_being_built_gets_that_report(officer, ask):
    first = ask(officer)

    again = [ask(officer) for _ in range(4)]

    assert {report.pk for report in again} == {first.pk}
    assert GeneratedReport.objects.count() == 1
    assert _queued_jobs() == [first.pk]


def test_asking_again_while_it_is_being_built_gets_that_report(officer, ask):
    first = ask(officer)
    GeneratedReport.objects.filter(pk=first.pk).update(
        state=GeneratedReportState.RUNNING, started_at=timezone.now()
    )

    assert ask(officer).pk == first.pk
    assert GeneratedReport.objects.count() == 1


def test_a_colleague_asking_for_the_same_report_gets_the_one_being_built(officer, leader, ask):
    first = ask(officer)

    assert ask(leader).pk == first.pk
    assert _queued_jobs() == [first.pk]


@pytest.mark.parametrize(
    "other",
    [
        {"as_of_date": "TODAY"},  # the same body, as of a date instead of the period
        {"kind": "standing_committee", "body": None},
        {"body": "thanh-uy-cam-ranh"},
    ],
    ids=["as-of-a-date", "another-kind", "another-body"],
)
def test_a_report_with_other_parameters_is_another_build(reviewer, ask, other):
    if other.get("as_of_date") == "TODAY":
        other = {"as_of_date": timezone.localdate()}
    first = ask(reviewer)

    second = ask(reviewer, **other)

    assert second.pk != first.pk
    assert sorted(_queued_jobs()) == [first.pk, second.pk]


@pytest.mark.parametrize(
    "finished",
    [
        {"state": GeneratedReportState.FAILED, "error": "x"},
        # Stuck: queued past twice the time limit, so it shows as failed.
        {"requested_at": "LONG_AGO"},
    ],
    ids=["failed", "stuck"],
)
def test_a_report_no_longer_being_built_is_asked_for_anew(officer, ask, settings, finished):
    if finished.get("requested_at") == "LONG_AGO":
        finished = {
            "requested_at": timezone.now()
            - timedelta(seconds=2 * settings.REPORT_BUILD_TIMEOUT + 1)
        }
    first = ask(officer)
    GeneratedReport.objects.filter(pk=first.pk).update(**finished)

    second = ask(officer)

    assert second.pk != first.pk
    assert second.state == GeneratedReportState.QUEUED


def _three_builds(reviewer, ask) -> list[GeneratedReport]:
    return [
        ask(reviewer),
        ask(reviewer, body="thanh-uy-cam-ranh"),
        ask(reviewer, kind="standing_committee", body=None),
    ]


def test_a_fourth_build_in_flight_is_refused_and_nothing_is_queued(reviewer, ask):
    builds = _three_builds(reviewer, ask)

    with pytest.raises(TooManyReportBuilds) as refused:
        ask(reviewer, kind="standing_committee", body=None, as_of_date=timezone.localdate())

    assert refused.value.messages == [LIMIT_MESSAGE]
    assert GeneratedReport.objects.count() == 3
    assert sorted(_queued_jobs()) == sorted(report.pk for report in builds)
    # The same report as one in flight is still given, limit or not.
    assert ask(reviewer, body="thanh-uy-cam-ranh").pk == builds[1].pk


def test_a_finished_build_frees_a_place(reviewer, ask):
    builds = _three_builds(reviewer, ask)
    GeneratedReport.objects.filter(pk=builds[0].pk).update(
        state=GeneratedReportState.FAILED, error="x"
    )

    fourth = ask(reviewer, kind="standing_committee", body=None, as_of_date=timezone.localdate())

    assert fourth.state == GeneratedReportState.QUEUED


def test_other_peoples_builds_do_not_count(reviewer, officer, ask):
    _three_builds(reviewer, ask)

    assert ask(officer, as_of_date=timezone.localdate()).requested_by == officer


def test_the_limit_is_a_setting(officer, ask, settings):
    settings.REPORT_BUILDS_IN_FLIGHT_MAX = 1
    ask(officer)

    with pytest.raises(TooManyReportBuilds):
        ask(officer, as_of_date=timezone.localdate())


def _post(client, **data):
    return client.post(reverse("generated_report_create"), data)


def test_the_form_sends_a_second_click_to_the_report_being_built(
    client, officer, period, nq23, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    data = {
        "kind": "body",
        "programme": nq23.pk,
        "period": period.pk,
        "body": Body.objects.get(code="thanh-uy-nha-trang").pk,
    }

    with django_capture_on_commit_callbacks(execute=True):
        responses = [_post(client, **data) for _ in range(5)]

    report = GeneratedReport.objects.get()
    assert [r.status_code for r in responses] == [302] * 5
    assert {r["Location"] for r in responses} == {
        reverse("generated_report_detail", args=[report.pk])
    }
    assert _queued_jobs() == [report.pk]


def test_the_form_says_in_vietnamese_why_a_fourth_build_is_refused(
    client, reviewer, ask, nq23, text_of
):
    _three_builds(reviewer, ask)
    client.force_login(reviewer)

    response = _post(
        client,
        kind="standing_committee",
        programme=nq23.pk,
        as_of_date=timezone.localdate().isoformat(),
    )

    assert response.status_code == 429
    assert LIMIT_MESSAGE in text_of(response)
    assert GeneratedReport.objects.count() == 3 and OrmQ.objects.count() == 3
