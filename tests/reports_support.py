"""Generated reports for the cross-app tests, kept as the task cluster would keep them but
without building them (a one-page stand-in file each)."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

PDF = b"%PDF-1.4\n% bao cao\n"
XLSX = b"PK\x03\x04 workbook"


def kept_report(kind: str, body_code: str | None = None, *, period_code: str = "2026-nam"):
    from accounts.models import Body
    from programme.models import Programme
    from reports.models import GeneratedReport
    from tasks.models import ReportingPeriod

    report = GeneratedReport.objects.create(
        kind=kind,
        programme=Programme.objects.get(code="nq23"),
        period=ReportingPeriod.objects.get(code=period_code),
        body=Body.objects.get(code=body_code) if body_code else None,
        data_as_of=timezone.now(),
        state=GeneratedReport.State.RUNNING,
        started_at=timezone.now(),
    )
    report.pdf.save(f"test-{report.pk}.pdf", ContentFile(PDF), save=False)
    report.xlsx.save(f"test-{report.pk}.xlsx", ContentFile(XLSX), save=False)
    report.sha256 = hashlib.sha256(PDF).hexdigest()
    report.xlsx_sha256 = hashlib.sha256(XLSX).hexdigest()
    report.page_count = 1
    report.finished_at = timezone.now()
    report.state = GeneratedReport.State.DONE
    report.save()
    return report
