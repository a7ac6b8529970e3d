"""Building a generated report's files from its parameters."""

import hashlib
from dataclasses import dataclass

from django.utils import timezone, translation

from .as_of import programme_state
from .body import body_report
from .document import ReportDocument
from .models import GeneratedReport, GeneratedReportKind
from .oversight import oversight_report
from .rendering import RenderedPdf, StaticOnlyFetcher, render_pdf
from .standing_committee import standing_committee_report
from .workbook import workbook_bytes

TEMPLATE = "document"


@dataclass(frozen=True)
class BuiltReport:
    pdf: RenderedPdf
    xlsx: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf.content).hexdigest()

    @property
    def xlsx_sha256(self) -> str:
        return hashlib.sha256(self.xlsx).hexdigest()


def report_document(report: GeneratedReport) -> ReportDocument:
    """The document the report's parameters describe, from the data as of `data_as_of`."""
    state = programme_state(programme=report.programme, moment=report.data_as_of)
    parameters = {
        "state": state,
        "period": report.period,
        "as_of_date": report.as_of_date,
        "issued_on": timezone.localdate(report.requested_at),
    }
    # Built in Vietnamese: the labels taken from the catalogue (statuses, roles, citations)
    # are the document's words.
    with translation.override("vi"):
        if report.kind == GeneratedReportKind.STANDING_COMMITTEE:
            return standing_committee_report(**parameters)
        if report.kind == GeneratedReportKind.OVERSIGHT:
            return oversight_report(body=report.body, **parameters)
        return body_report(body=report.body, **parameters)


def report_files(
    report: GeneratedReport, *, fetcher: StaticOnlyFetcher | None = None
) -> BuiltReport:
    """The PDF and the workbook of the report."""
    document = report_document(report)
    pdf = render_pdf(TEMPLATE, {"doc": document}, fetcher=fetcher)
    return BuiltReport(pdf=pdf, xlsx=workbook_bytes(document))
