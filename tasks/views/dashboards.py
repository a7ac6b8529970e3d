"""The dashboards and the assignment list: read-only pages, each built by one selector of the
tasks.dashboards package from what the permission policy lets the user see."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.exports import list_response
from accounts.permissions import refuse

from ..dashboards.access import may_use_agency_home, may_use_compliance, may_use_supervision
from ..dashboards.agency import agency_work_html
from ..dashboards.assignment_list import assignment_list_queryset, filter_choices
from ..dashboards.base import period_list_all
from ..dashboards.compliance import compliance_page
from ..dashboards.report_list import report_list_queryset
from ..dashboards.supervision import supervision_page
from ..filters import AssignmentFilterForm, PeriodChoiceForm, ReportFilterForm
from ..permissions import Action, assignment_policy
from ..tables import AssignmentTable, ProgressReportTable


@require_safe
def agency_home(request):
    """My body's work. Anyone signed in may open it; one who is no body's officer or leader
    is told so rather than refused."""
    today = timezone.localdate()
    is_agency_member = may_use_agency_home(request.user)
    return render(
        request,
        "tasks/agency_home.html",
        {
            "agency_work": (
                agency_work_html(user=request.user, today=today) if is_agency_member else None
            ),
            "is_agency_member": is_agency_member,
            "may_use_compliance": may_use_compliance(request.user),
            "may_use_supervision": may_use_supervision(request.user),
            "today": today,
        },
    )


@require_safe
def compliance_overview(request):
    assignment_policy.require(request, Action.VIEW)
    today = timezone.localdate()
    periods = period_list_all()
    form = PeriodChoiceForm(request.GET or None, periods=periods)
    page = compliance_page(
        user=request.user,
        today=today,
        periods=periods,
        period_id=form.period_id(),
        programme_id=form.programme_id(),
        body_page=request.GET.get("bodies"),
    )
    form.programmes_offer(page.programmes)
    return render(
        request,
        "tasks/compliance_overview.html",
        {"page": page, "form": form, "today": today},
    )


@require_safe
def supervision_overview(request):
    if not may_use_supervision(request.user):
        refuse(request, what="view supervision overview")
    today = timezone.localdate()
    return render(
        request,
        "tasks/supervision_overview.html",
        {"page": supervision_page(user=request.user, today=today), "today": today},
    )


@require_safe
def assignment_list(request):
    """The assignments the user may see, filtered; sorted by a heading, paged, or exported
    (`?export=xlsx|csv`). The compliance overview's, the desks' and the agency home's counts
    all link here, so each drill-down sorts, pages and exports alike."""
    today = timezone.localdate()
    form = AssignmentFilterForm(
        request.GET or None, choices=filter_choices(user=request.user), today=today
    )
    filters = form.filters()
    # Tick boxes, and the steps for the ticked rows, only for who may take a bulk step.
    bulk_steps = assignment_policy.bulk_steps(request.user)
    table = AssignmentTable(
        assignment_list_queryset(user=request.user, filters=filters, today=today),
        today=today,
        period=filters.period,
        select=bool(bulk_steps),
        request=request,
    )
    return list_response(
        request,
        table,
        form=form,
        default_sort=filters.sort,
        template_name="tasks/assignment_list.html",
        context={"filters": filters, "today": today, "bulk_steps": bulk_steps},
    )


@require_safe
def progress_report_list(request):
    """The progress reports the user may see (the report policy: a body's own drafts, and the
    sent reports of the assignments the user sees), filtered; sorted, paged or exported."""
    today = timezone.localdate()
    choices = filter_choices()
    form = ReportFilterForm(request.GET or None, choices=choices)
    table = ProgressReportTable(
        report_list_queryset(
            user=request.user, filters=form.filters(), periods=choices.periods, today=today
        ),
        request=request,
    )
    return list_response(
        request,
        table,
        form=form,
        template_name="tasks/progressreport_list.html",
        context={"today": today},
    )
