"""The progress report workflow: an officer drafts, the leader submits, the Party Office
accepts or returns with reasons; a returned report is revised and resubmitted; acceptance
locks it; a closed period takes no new or changed reports. Each step is a history record
carrying who, when and why."""

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.services import (
    Flow,
    Stale,
    clean_text,
    review_accept,
    review_return,
    review_submit,
    review_update,
)

from ..models import (
    Assignment,
    Attachment,
    CitedDocument,
    ProgressReport,
    ReportingPeriod,
)
from ..permissions import Action, assignment_policy, report_policy
from .common import ensure, tracked_save

# Allowed attachment types, checked against the file's content; the name's extension must
# agree with what the content is.
ALLOWED_TYPES = {
    "application/pdf": {"pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
}
# Old Office files share one container format; filetype names it after Word.
_OLE_ALIASES = {"application/msword": {"doc", "xls"}, "application/x-ole-storage": {"doc", "xls"}}


class StaleReport(Stale):
    """Someone saved the report after this form was opened."""


@dataclass(frozen=True)
class ReportData:
    result: str
    percent_complete: int
    difficulties: str = ""
    proposals: str = ""
    claims_completion: bool = False


def _apply(report: ProgressReport, data: ReportData) -> None:
    report.result = clean_text(data.result)
    report.percent_complete = data.percent_complete
    report.difficulties = clean_text(data.difficulties)
    report.proposals = clean_text(data.proposals)
    report.claims_completion = data.claims_completion
    if report.claims_completion and report.percent_complete != 100:
        raise ValidationError(
            {"percent_complete": _("A completed task is reported at 100 percent.")}
        )
    report.full_clean(exclude=["assignment", "period", "drafted_by"])


def _require_open(period: ReportingPeriod) -> None:
    if period.state != ReportingPeriod.State.OPEN:
        raise ValidationError(
            _("The period %(period)s is not open for reports.") % {"period": period}
        )


@transaction.atomic
def report_create(
    *, assignment: Assignment, period: ReportingPeriod, data: ReportData, acting_user
) -> ProgressReport:
    """An officer or leader of the body starts the report for a period, as a draft."""
    ensure(assignment_policy, acting_user, Action.DRAFT, assignment)
    # Read the period afresh and hold it, so a period being closed takes no new report.
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _require_open(period)
    if period.programme_id != assignment.item.programme_id:
        raise ValidationError(_("This period belongs to another programme."))
    if not assignment.is_reporting or assignment.cancelled_on:
        raise ValidationError(_("No report is expected on this assignment."))
    if ProgressReport.objects.filter(assignment=assignment, period=period).exists():
        raise ValidationError(_("A report for this period already exists; open it to revise it."))
    report = ProgressReport(assignment=assignment, period=period, drafted_by=acting_user)
    _apply(report, data)
    tracked_save(report, acting_user=acting_user, reason=_("Draft created"))
    return report


def report_update(
    *, report: ProgressReport, data: ReportData, expected_version: int, acting_user
) -> ProgressReport:
    """Revise a draft or returned report. A save from a form opened before someone else's save
    is refused, naming what they changed, so neither edit is silently lost."""
    return review_update(
        REPORT_FLOW,
        report,
        expected_version=expected_version,
        acting_user=acting_user,
        apply=lambda locked: _apply(locked, data),
    )


def _check_sendable(report: ProgressReport) -> None:
    if not report.result:
        raise ValidationError({"result": _("Write the result achieved before submitting.")})
    if report.claims_completion and not (report.documents.exists() or report.attachments.exists()):
        raise ValidationError(
            _("A report saying the task is completed must cite a document or attach evidence.")
        )


def _complete_if_claimed(report: ProgressReport, acting_user) -> None:
    """A report saying the task is done completes the assignment as of the day it was
    submitted."""
    if not report.claims_completion:
        return
    assignment = Assignment.objects.select_for_update().get(pk=report.assignment_id)
    if assignment.completed_on is None:
        assignment.completed_on = timezone.localdate(report.submitted_at)
        tracked_save(
            assignment,
            acting_user=acting_user,
            reason=_("Completed: report for %(period)s accepted") % {"period": report.period},
        )


REPORT_FLOW = Flow(
    model=ProgressReport,
    policy=report_policy,
    stale_error=StaleReport,
    stale_message=gettext_lazy(
        "%(user)s saved this report at %(time)s after you opened it (changed: "
        "%(changed)s). Your text was not saved; reload the report and apply your changes "
        "again."
    ),
    return_reason_missing=gettext_lazy("Say why the report is returned."),
    content_fields=("result", "percent_complete", "difficulties", "proposals", "claims_completion"),
    related=("assignment", "period"),
    check_sendable=_check_sendable,
    on_accept=_complete_if_claimed,
    submit_warning=gettext_lazy(
        "Once submitted, the report can no longer be changed by your body unless the Party "
        "Office returns it."
    ),
    accept_label=gettext_lazy("Accept the report"),
    accept_warning=gettext_lazy(
        "Accepting the report locks it: nobody can change it afterwards, and it counts in the "
        "status reports. A report saying the task is completed completes the assignment."
    ),
    submitted=gettext_lazy("The report was submitted to the Party Office."),
    accepted=gettext_lazy("The report was accepted."),
    returned=gettext_lazy("The report was returned to the body."),
)


def report_submit(*, report: ProgressReport, acting_user) -> ProgressReport:
    """The body's leader submits (or resubmits) the report to the Party Office."""
    return review_submit(REPORT_FLOW, report, acting_user=acting_user)


def report_accept(*, report: ProgressReport, acting_user) -> ProgressReport:
    """The Party Office accepts the report, which locks it. A report saying the task is done
    completes the assignment as of the day it was submitted."""
    return review_accept(REPORT_FLOW, report, acting_user=acting_user)


def report_return(*, report: ProgressReport, reason: str, acting_user) -> ProgressReport:
    """The Party Office returns the report to the body with its reasons."""
    return review_return(REPORT_FLOW, report, reason=reason, acting_user=acting_user)


@transaction.atomic
def document_cite(
    *, report: ProgressReport, number: str, issued_on, issuer: str, title: str, acting_user
) -> CitedDocument:
    """Cite a document (number, date, issuer) as evidence on a draft."""
    ensure(report_policy, acting_user, Action.DRAFT, report)
    document = CitedDocument(
        report=report,
        number=clean_text(number),
        issued_on=issued_on,
        issuer=clean_text(issuer),
        title=clean_text(title),
    )
    if issued_on and issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("A cited document cannot be dated in the future.")})
    document.full_clean(exclude=["report"])
    tracked_save(document, acting_user=acting_user, reason=_("Document cited"))
    return document


@transaction.atomic
def document_remove(*, document: CitedDocument, acting_user) -> None:
    ensure(report_policy, acting_user, Action.DRAFT, document.report)
    document._history_user = acting_user
    document._change_reason = _("Citation removed")
    document.delete()


def safe_file_name(name: str) -> str:
    """The user's file name, without any path, control characters or odd separators."""
    base = PurePath(name.replace("\\", "/")).name
    base = clean_text(base).replace("/", "_")
    base = re.sub(r"\s+", " ", base).strip(". ")
    return base[:200] or "tep"


def _detect_type(head: bytes, extension: str) -> str:
    kind = filetype.guess(head)
    if kind is None:
        raise ValidationError({"file": _("The file's content is not a type that may be attached.")})
    mime = kind.mime
    extensions = ALLOWED_TYPES.get(mime) or _OLE_ALIASES.get(mime)
    if not extensions:
        raise ValidationError({"file": _("The file's content is not a type that may be attached.")})
    if extension not in extensions:
        raise ValidationError(
            {
                "file": _("The file's name says .%(ext)s but its content is something else.")
                % {"ext": extension}
            }
        )
    return mime


@dataclass(frozen=True)
class InspectedUpload:
    """What an uploaded file was found to be: its cleaned name, the extension its name gives,
    its type read from its content, its size and its SHA-256."""

    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def upload_inspect(*, upload: UploadedFile) -> InspectedUpload:
    """The attachment rules every upload of the product goes through: not empty, within
    ATTACHMENT_MAX_BYTES, a type that may be attached by its content, and a name that agrees
    with the content. Refuses with a ValidationError on the "file" field."""
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    name = safe_file_name(upload.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    mime = _detect_type(upload.read(8192), extension)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedUpload(name, extension, mime, upload.size, digest.hexdigest())


@transaction.atomic
def attachment_add(*, report: ProgressReport, upload: UploadedFile, acting_user) -> Attachment:
    """Attach evidence to a draft: size-limited, type checked by content and by name, stored
    under a generated name outside the static files."""
    ensure(report_policy, acting_user, Action.DRAFT, report)
    inspected = upload_inspect(upload=upload)
    name, extension, mime = inspected.name, inspected.extension, inspected.content_type
    attachment = Attachment(
        report=report,
        original_name=name,
        content_type=mime,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=acting_user,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    stored = attachment.file.name
    try:
        tracked_save(attachment, acting_user=acting_user, reason=_("File attached"))
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, acting_user) -> None:
    """Remove an attachment from a draft; the stored file goes once the removal commits."""
    ensure(report_policy, acting_user, Action.DRAFT, attachment.report)
    storage, name = attachment.file.storage, attachment.file.name
    attachment._history_user = acting_user
    attachment._change_reason = _("File removed")
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


__all__ = [
    "InspectedUpload",
    "PermissionDenied",
    "ReportData",
    "StaleReport",
    "attachment_add",
    "attachment_remove",
    "clean_text",
    "document_cite",
    "document_remove",
    "report_accept",
    "report_create",
    "report_return",
    "report_submit",
    "report_update",
    "upload_inspect",
]
