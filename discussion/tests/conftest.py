"""What the thread's tests share: the assignment they talk on, and a step taken as a request
takes it (committed, then the notices' job run as a worker of the cluster runs it)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks.models import Assignment, ReportingPeriod
from tests.reminders_support import queued_jobs_run

ITEM = "III.1.b1.s2"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def assignment(cast) -> Assignment:
    """Thành ủy Nha Trang's part of III.1.b1.s2, which the Fatherland Front supervises."""
    return Assignment.objects.get(
        item__key=ITEM, body__code="thanh-uy-nha-trang", role="implement_locally"
    )


@pytest.fixture
def supervision(cast) -> Assignment:
    return Assignment.objects.get(item__key=ITEM, body__code="uy-ban-mttq-tinh", role="supervise")


@pytest.fixture
def period(cast) -> ReportingPeriod:
    return ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    def take(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        queued_jobs_run()
        return result

    return take
