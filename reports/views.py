"""Generated reports: the list of those the user may read, asking for one, following its build,
and downloading its PDF or workbook.

A report the user may not read is a 404 alike for one that does not exist; the build happens in
the task cluster, never in the request.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.exports import list_response
from accounts.models import SecurityEvent
from accounts.security import security_event_record
from review.views import GET_AND_POST, posted
from tasks.forms import add_service_errors

from .build import report_file_name
from .forms import GeneratedReportForm
from .letterheads import default_signatory, letterhead_for
from .lists import GeneratedReportTable
from .models import GeneratedReport, GeneratedReportKind
from .permissions import generated_report_policy as policy
from .services import TooManyReportBuilds, generated_report_request

# Seconds between reloads of the page of a report being built.
REFRESH_SECONDS = 5

DOWNLOADS = {
    "pdf": ("application/pdf", "sha256"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx_sha256"),
}


def _queryset():
    return GeneratedReport.objects.select_related("programme", "period", "body", "requested_by")


def _visible_report(request, pk: int) -> GeneratedReport:
    report = get_object_or_404(_queryset(), pk=pk)
    policy.require(request, policy.VIEW, report, hide=True)
    return report


@require_safe
def generated_report_list(request):
    reports = _queryset().filter(
        pk__in=policy.instances_user_has_permission_for(request.user, policy.VIEW).values("pk")
    )
    return list_response(
        request,
        GeneratedReportTable(reports, request=request),
        default_sort="-requested",
        template_name="reports/generatedreport_list.html",
        context={"may_request": policy.user_has_permission(request.user, policy.REQUEST)},
    )


def _signers_today(kinds: list[str], own_bodies) -> list[dict]:
    """Who would sign each report the person may ask for, if it were asked for today: a
    report whose post nobody holds is said so before it is built."""
    today = timezone.localdate()
    senders = [(kind, None) for kind in kinds if kind in GeneratedReport.PROGRAMME_KINDS]
    if GeneratedReportKind.OVERSIGHT in kinds:
        senders += [(GeneratedReportKind.OVERSIGHT, body) for body in own_bodies]
    return [
        {
            "kind": GeneratedReportKind(kind).label,
            "body": body,
            "head": letterhead_for(kind, body).head,
            "signatory": default_signatory(kind=kind, body=body, day=today),
        }
        for kind, body in senders
    ]


@GET_AND_POST
def generated_report_create(request):
    policy.require(request, policy.REQUEST)
    kinds = policy.requestable_kinds(request.user)
    own_bodies = policy.own_supervised_bodies(request.user) if kinds == ["oversight"] else []
    form = GeneratedReportForm(
        posted(request),
        kinds=kinds,
        bodies=policy.requestable_bodies(request.user),
        own_bodies=own_bodies,
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = generated_report_request(
                kind=data["kind"],
                programme=data["programme"],
                period=data["period"],
                as_of_date=data["as_of_date"],
                body=data["body"],
                signatory=data["signatory"],
                acting_user=request.user,
            )
        except PermissionDenied as refusal:
            security_event_record(
                kind=SecurityEvent.Kind.REFUSED, request=request, detail=str(refusal)
            )
            form.add_error("body", _("You may not ask for this kind of report about this body."))
            status = 403
        except TooManyReportBuilds as error:
            add_service_errors(form, error)
            status = 429
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Asking for a report is an export of the data it will hold, whoever downloads it.
            security_event_record(
                kind=SecurityEvent.Kind.EXPORT,
                request=request,
                detail=f"requested generated report #{report.pk} ({report.kind})",
            )
            messages.success(
                request, _("The report is being built; this page shows when it is ready.")
            )
            return redirect("generated_report_detail", pk=report.pk)
    signers = _signers_today(kinds, policy.own_supervised_bodies(request.user))
    return render(
        request,
        "reports/generatedreport_form.html",
        {"form": form, "signers": signers},
        status=status,
    )


@require_safe
def generated_report_detail(request, pk: int):
    report = _visible_report(request, pk)
    response = render(
        request,
        "reports/generatedreport_detail.html",
        {"report": report, "refresh_seconds": REFRESH_SECONDS},
    )
    if report.is_pending:
        # The page reloads itself while the report is built: the HTTP form of
        # <meta http-equiv="refresh">, with no script.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def _download(request, pk: int, extension: str):
    report = _visible_report(request, pk)
    if not report.is_ready:
        raise Http404(_("The report is not ready."))
    content_type, checksum_field = DOWNLOADS[extension]
    try:
        handle = getattr(report, extension).open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing from storage.")) from missing
    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD,
        request=request,
        detail=f"generated report #{report.pk} ({report.kind}) {extension}, "
        f"sha256 {getattr(report, checksum_field)}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{report_file_name(report)}.{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def generated_report_pdf(request, pk: int):
    return _download(request, pk, "pdf")


@require_safe
def generated_report_xlsx(request, pk: int):
    return _download(request, pk, "xlsx")
