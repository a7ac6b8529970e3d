"""Generated reports: the list of those the user may read, asking for one, following its build,
and downloading its PDF or workbook.

A report the user may not read is a 404 alike for one that does not exist; the build happens in
the task cluster, never in the request.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import SecurityEvent
from accounts.security import security_event_record
from review.views import GET_AND_POST, posted
from tasks.forms import add_service_errors

from .forms import GeneratedReportForm
from .models import GeneratedReport
from .permissions import generated_report_policy as policy
from .services import TooManyReportBuilds, generated_report_request

PAGE_SIZE = 50
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
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/generatedreport_list.html",
        {
            "page_obj": page,
            "reports": page.object_list,
            "may_request": policy.user_has_permission(request.user, policy.REQUEST),
        },
    )


@GET_AND_POST
def generated_report_create(request):
    policy.require(request, policy.REQUEST)
    form = GeneratedReportForm(
        posted(request),
        kinds=policy.requestable_kinds(request.user),
        bodies=policy.requestable_bodies(request.user),
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
    return render(request, "reports/generatedreport_form.html", {"form": form}, status=status)


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
        filename=f"bao-cao-{report.kind.replace('_', '-')}-{report.pk}.{extension}",
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
