"""The rules that must hold are the database's, not only the forms': a save that bypasses
forms and services is refused by the database itself."""

import pytest
from django.db import IntegrityError, transaction

from tasks.models import Assignment, ProgressReport, ReportingPeriod

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def report_fields(officer):
    return {
        "assignment": Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
        ),
        "period": ReportingPeriod.objects.get(code="2026-nam"),
        "result": "Đã triển khai.",
        "drafted_by": officer,
    }


def test_one_report_per_assignment_and_period(report_fields):
    ProgressReport.objects.create(**report_fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(**report_fields)
    assert ProgressReport.objects.filter(assignment=report_fields["assignment"]).count() == 1


@pytest.mark.parametrize("percent", [101, 1000, -1])
def test_percent_complete_stays_between_0_and_100(report_fields, percent):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(**report_fields, percent_complete=percent)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("percent", [0, 100])
def test_the_bounds_themselves_are_allowed(report_fields, percent):
    assert ProgressReport.objects.create(**report_fields, percent_complete=percent).pk


def test_an_update_that_bypasses_the_model_is_refused_too(report_fields):
    report = ProgressReport.objects.create(**report_fields, percent_complete=50)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(percent_complete=150)
    report.refresh_from_db()
    assert report.percent_complete == 50
