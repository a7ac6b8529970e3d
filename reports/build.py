"""Building a generated report's files from its parameters: the document, its sums checked,
then the PDF and the workbook."""

import hashlib
from dataclasses import dataclass

from django.utils import timezone, translation

from .as_of import programme_state
from .body import body_report
from .document import ReportDocument
from .figures import sums_check
from .letterheads import default_signatory, letterhead_for, signature_block
from .models import GeneratedReport, GeneratedReportKind, Signatory
from .oversight import oversight_report
from .rendering import RenderedPdf, StaticOnlyFetcher, render_pdf
from .standing_committee import programme_report
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


def report_signatory(report: GeneratedReport) -> Signatory | None:
    """Who signs: the one the person asking chose, or whoever holds the post on the report's
    date; nobody when no one does (the block then has no name)."""
    if report.signatory_id is not None:
        return report.signatory
    return default_signatory(kind=report.kind, body=report.body, day=report.issued_on)


def report_document(report: GeneratedReport) -> ReportDocument:
    """The document the report's parameters describe, from the data as of `data_as_of`."""
    state = programme_state(programme=report.programme, moment=report.data_as_of)
    parameters = {
        "state": state,
        "period": report.period,
        "as_of_date": report.as_of_date,
        "issued_on": report.issued_on,
        "signature": signature_block(
            letterhead_for(report.kind, report.body), report_signatory(report)
        ),
    }
    # Built in Vietnamese: the labels taken from the catalogue (statuses, roles, citations)
    # are the document's words.
    with translation.override("vi"):
        if report.kind in GeneratedReport.PROGRAMME_KINDS:
            return programme_report(kind=report.kind, **parameters)
        if report.kind == GeneratedReportKind.OVERSIGHT:
            return oversight_report(body=report.body, **parameters)
        return body_report(body=report.body, **parameters)


def report_file_name(report: GeneratedReport) -> str:
    """What the file is and its date, without diacritics and without the extension:
    `bao-cao-giam-sat-dang-doan-hdnd-2026-12-02`."""
    from .names import body_slug

    stems = {
        GeneratedReportKind.STANDING_COMMITTEE: "bao-cao-van-phong-tinh-uy-gui-ban-thuong-vu",
        GeneratedReportKind.UPWARD: "bao-cao-ban-thuong-vu-tinh-uy-thuc-hien-nghi-quyet",
    }
    if report.kind in stems:
        stem = stems[report.kind]
    elif report.kind == GeneratedReportKind.OVERSIGHT:
        stem = f"bao-cao-giam-sat-{body_slug(report.body)}"
    else:
        stem = f"bao-cao-{body_slug(report.body)}"
    day = report.as_of_date or timezone.localdate(report.requested_at)
    return f"{stem}-{day.isoformat()}"


def report_files(
    report: GeneratedReport, *, fetcher: StaticOnlyFetcher | None = None
) -> BuiltReport:
    """The PDF and the workbook of the report, once its counts add up (FiguresDoNotAddUp
    otherwise, naming what does not)."""
    document = report_document(report)
    sums_check(document.sums)
    pdf = render_pdf(TEMPLATE, {"doc": document}, fetcher=fetcher)
    return BuiltReport(pdf=pdf, xlsx=workbook_bytes(document))
