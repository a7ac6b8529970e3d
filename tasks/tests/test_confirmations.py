"""Steps that cannot be taken back quietly ask first: a deadline already past (the work is
overdue at once and reminders go out), and submitting or accepting, which lock the work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment, ProgressReport, ReportingPeriod, ReportState
from tasks.services.reports import ReportData, report_create, report_submit

from .test_workflow_views import as_user, field_errors


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def nha_trang(reference_data, db) -> Assignment:
    return Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )


@pytest.fixture
def draft(cast, nha_trang) -> ProgressReport:
    return report_create(
        assignment=nha_trang,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        data=ReportData(result="Đã ban hành kế hoạch.", percent_complete=40),
        acting_user=cast["officer"],
    )


def test_a_past_deadline_is_set_only_once_confirmed(english, cast, nha_trang, text_of):
    client = as_user(english, cast["reviewer"])
    url = reverse("assignment_deadline", args=[nha_trang.pk])
    past = timezone.localdate() - timedelta(days=3)
    typed = {"kind": "fixed", "deadline": past.strftime("%d/%m/%Y"), "reason": "Nhập hạn cũ"}

    asked = client.post(url, typed)

    assert asked.status_code == 400
    warning = field_errors(asked, "confirm_past")
    assert "has already passed: the assignment will be overdue at once" in warning
    assert "reminders" in warning
    assert 'type="checkbox" name="confirm_past"' in asked.content.decode()
    nha_trang.refresh_from_db()
    assert nha_trang.deadline is None

    saved = client.post(url, {**typed, "confirm_past": "on"}, follow=True)

    assert "The deadline was saved." in text_of(saved)
    nha_trang.refresh_from_db()
    assert nha_trang.deadline == past


def test_a_future_deadline_is_not_questioned(english, cast, nha_trang):
    client = as_user(english, cast["reviewer"])
    future = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("assignment_deadline", args=[nha_trang.pk]),
        {"kind": "fixed", "deadline": future.strftime("%d/%m/%Y"), "reason": "Theo kế hoạch"},
    )
    assert response.status_code == 302
    nha_trang.refresh_from_db()
    assert nha_trang.deadline == future


@pytest.mark.parametrize(
    ("who", "step", "state_before", "words"),
    [
        ("leader", "report_submit", ReportState.DRAFT, "no longer be changed"),
        ("reviewer", "report_accept", ReportState.SUBMITTED, "locks it"),
    ],
)
def test_submitting_and_accepting_ask_first_then_lock(
    english, cast, draft, text_of, who, step, state_before, words
):
    if state_before == ReportState.SUBMITTED:
        report_submit(report=draft, acting_user=cast["leader"])
    client = as_user(english, cast[who])

    detail = client.get(reverse("report_detail", args=[draft.pk])).content.decode()
    confirm_url = reverse(step, args=[draft.pk])
    assert f'href="{confirm_url}"' in detail

    asked = client.get(confirm_url)
    assert asked.status_code == 200
    assert words in text_of(asked)
    draft.refresh_from_db()
    assert draft.state == state_before

    done = client.post(confirm_url)
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.state != state_before


def test_the_confirmation_is_refused_to_whoever_may_not_take_the_step(english, cast, draft):
    client = as_user(english, cast["officer"])
    assert client.get(reverse("report_submit", args=[draft.pk])).status_code == 403
    assert client.get(reverse("report_accept", args=[draft.pk])).status_code == 403
