"""Build a report now, without the task cluster, and write its PDF where the operator says."""

import shutil
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Body, SecurityEvent
from accounts.security import security_event_record
from programme.models import Programme
from reports.models import GeneratedReportKind, GeneratedReportState
from reports.services import generated_report_build, generated_report_record
from tasks.models import ReportingPeriod

KINDS = {kind.replace("_", "-"): kind for kind in GeneratedReportKind.values}


class Command(BaseCommand):
    help = (
        "Build a report (standing-committee, upward, oversight or body) for a reporting period or "
        "as of a date, keep it as a generated report and write its PDF to --output."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--period", type=int, help="the reporting period's id")
        scope.add_argument("--as-of", type=date.fromisoformat, help="a date, YYYY-MM-DD")
        parser.add_argument("--body", help="the body's code, for oversight and body reports")
        parser.add_argument("--programme", help="the programme's code (default: the latest)")
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, kind, period, as_of, body, programme, output, **options) -> None:
        try:
            period_obj = ReportingPeriod.objects.get(pk=period) if period else None
            if period_obj is not None:
                programme_obj = period_obj.programme
            elif programme:
                programme_obj = Programme.objects.get(code=programme)
            else:
                programme_obj = Programme.objects.first()
            body_obj = Body.objects.get(code=body) if body else None
        except (ReportingPeriod.DoesNotExist, Programme.DoesNotExist, Body.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        if programme_obj is None:
            raise CommandError("No programme is loaded.")
        try:
            report = generated_report_record(
                kind=KINDS[kind],
                programme=programme_obj,
                period=period_obj,
                as_of_date=as_of,
                body=body_obj,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        report = generated_report_build(report_id=report.pk)
        if report.state != GeneratedReportState.DONE:
            raise CommandError(report.error or "The report was not built.")
        with report.pdf.open("rb") as source, open(output, "wb") as target:
            shutil.copyfileobj(source, target)
        security_event_record(
            kind=SecurityEvent.Kind.EXPORT,
            username="manage.py build_report",
            detail=f"generated report #{report.pk} ({report.kind}) written to {output}, "
            f"sha256 {report.sha256}",
        )
        self.stdout.write(f"{output}\n{report.page_count} pages")
