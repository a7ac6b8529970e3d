"""Progress reports: drafting, evidence, submission and review, and the report's history.

A report the user may not see is a 404 (another body's draft must not be admitted to exist);
a step they may not take on a report they see is a 403. Each step is one service call; its
refusal comes back on the page with status 400, and nothing of the step is saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import SecurityEvent
from accounts.security import security_event_record
from programme.citations import cite_key
from review.views import ReviewPages

from ..forms import (
    AttachmentForm,
    DocumentForm,
    ReportCreateForm,
    ReportEditForm,
    ReportReturnForm,
    add_service_errors,
)
from ..models import Attachment, CitedDocument, ProgressReport
from ..permissions import Action, report_policy
from ..services import reports as services
from ..timeline import report_timeline
from .assignments import GET_AND_POST, assignment_for, periods_without_report, posted


def _report_queryset() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related(
        "assignment__item__programme",
        "assignment__body",
        "period",
        "drafted_by",
        "submitted_by",
        "reviewed_by",
    )


def _visible_report(request, pk: int) -> ProgressReport:
    report = get_object_or_404(_report_queryset(), pk=pk)
    report_policy.require(request, Action.VIEW, report, hide=True)
    return report


def _report_for(request, pk: int, action: str) -> ProgressReport:
    report = _visible_report(request, pk)
    report_policy.require(request, action, report)
    return report


def _report_context(report: ProgressReport) -> dict:
    return {"report": report, "citation": cite_key(report.assignment.item.key)}


def _render_detail(
    request,
    report: ProgressReport,
    *,
    action_form=None,
    document_form=None,
    attachment_form=None,
    status: int = 200,
):
    user = request.user

    def may(action: str) -> bool:
        return report_policy.user_has_permission_for_instance(user, action, report)

    can_draft = may(Action.DRAFT)
    return render(
        request,
        "tasks/report_detail.html",
        {
            **_report_context(report),
            "documents": list(report.documents.order_by("issued_on", "number", "id")),
            "attachments": list(report.attachments.select_related("uploaded_by")),
            "can_draft": can_draft,
            "can_submit": may(Action.SUBMIT),
            "can_review": may(Action.REVIEW),
            "action_form": action_form,
            "document_form": document_form or (DocumentForm() if can_draft else None),
            "attachment_form": attachment_form or (AttachmentForm() if can_draft else None),
        },
        status=status,
    )


@GET_AND_POST
def report_create(request, pk: int):
    assignment = assignment_for(request, pk, Action.DRAFT)
    periods = periods_without_report(assignment)
    initial = {}
    if request.method == "GET" and request.GET.get("period", "").isdigit():
        initial["period"] = int(request.GET["period"])
    form = ReportCreateForm(posted(request), periods=periods, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                assignment=assignment,
                period=form.cleaned_data["period"],
                data=form.report_data(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft report was saved."))
            return redirect("report_detail", pk=report.pk)
    return render(
        request,
        "tasks/report_form.html",
        {
            "assignment": assignment,
            "citation": cite_key(assignment.item.key),
            "form": form,
            "has_periods": periods.exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def report_detail(request, pk: int):
    return _render_detail(request, _visible_report(request, pk))


@GET_AND_POST
def report_edit(request, pk: int):
    report = _report_for(request, pk, Action.DRAFT)
    initial = {
        "result": report.result,
        "percent_complete": report.percent_complete,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "claims_completion": report.claims_completion,
        "version": report.version,
    }
    form = ReportEditForm(posted(request), initial=initial)
    saved_now = None
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                report=report,
                data=form.report_data(),
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except services.StaleReport as error:
            # Keep what the user typed; show what is saved now beside it and take the
            # current version, so a second save is a deliberate choice, not a silent loss.
            report.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(report.version)
            form = ReportEditForm(data, initial=initial)
            form.is_valid()
            add_service_errors(form, error)
            saved_now = report
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("report_detail", pk=report.pk)
    return render(
        request,
        "tasks/report_form.html",
        {
            **_report_context(report),
            "assignment": report.assignment,
            "form": form,
            "saved_now": saved_now,
        },
        status=400 if request.method == "POST" else 200,
    )


_review = ReviewPages(
    flow=services.REPORT_FLOW,
    find=_report_for,
    show=lambda request, report, **kwargs: _render_detail(request, report, **kwargs),
    detail_url_name="report_detail",
    return_form=ReportReturnForm,
    return_template="tasks/report_return_form.html",
    return_context=_report_context,
)
report_submit = _review.submit_view
report_accept = _review.accept_view
report_return = _review.return_view


@require_safe
def report_history(request, pk: int):
    report = _visible_report(request, pk)
    return render(
        request,
        "tasks/report_history.html",
        {**_report_context(report), "entries": report_timeline(report=report)},
    )


@require_POST
def document_create(request, pk: int):
    report = _report_for(request, pk, Action.DRAFT)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.document_cite(report=report, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was cited."))
            return redirect("report_detail", pk=report.pk)
    return _render_detail(request, report, document_form=form, status=400)


def _evidence(request, model, pk: int):
    """A cited document or attachment whose report the user may change."""
    evidence = get_object_or_404(model, pk=pk)
    report = _report_for(request, evidence.report_id, Action.DRAFT)
    evidence.report = report
    return evidence


@require_POST
def document_delete(request, pk: int):
    document = _evidence(request, CitedDocument, pk)
    services.document_remove(document=document, acting_user=request.user)
    messages.success(request, _("The citation of %(number)s was removed.") % {"number": document})
    return redirect("report_detail", pk=document.report_id)


@require_POST
def attachment_create(request, pk: int):
    report = _report_for(request, pk, Action.DRAFT)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                report=report, upload=form.cleaned_data["file"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was attached.") % {"name": attachment.original_name}
            )
            return redirect("report_detail", pk=report.pk)
    return _render_detail(request, report, attachment_form=form, status=400)


@require_safe
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk)
    report = _visible_report(request, attachment.report_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing from storage.")) from missing
    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD,
        request=request,
        detail=f"attachment #{attachment.pk} ({attachment.original_name}) of report #{report.pk}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def attachment_delete(request, pk: int):
    attachment = _evidence(request, Attachment, pk)
    services.attachment_remove(attachment=attachment, acting_user=request.user)
    messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
    return redirect("report_detail", pk=attachment.report_id)
