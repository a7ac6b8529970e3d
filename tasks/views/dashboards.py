"""The dashboards and the assignment list: read-only pages, each built by one selector of the
tasks.dashboards package from what the permission policy lets the user see."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.permissions import refuse

from ..dashboards.access import may_use_agency_home, may_use_compliance, may_use_supervision
from ..dashboards.agency import agency_home_page
from ..dashboards.assignment_list import PAGE_SIZE, assignment_list_queryset, filter_choices
from ..dashboards.base import period_list_all, with_days
from ..dashboards.compliance import compliance_page
from ..dashboards.supervision import supervision_page
from ..filters import AssignmentFilterForm, PeriodChoiceForm
from ..permissions import Action, assignment_policy


@require_safe
def agency_home(request):
    """My body's work. Anyone signed in may open it; one who is no body's officer or leader
    is told so rather than refused."""
    today = timezone.localdate()
    return render(
        request,
        "tasks/agency_home.html",
        {
            "page": agency_home_page(user=request.user, today=today),
            "is_agency_member": may_use_agency_home(request.user),
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
    today = timezone.localdate()
    form = AssignmentFilterForm(request.GET or None, choices=filter_choices(), today=today)
    filters = form.filters()
    paginator = Paginator(
        assignment_list_queryset(user=request.user, filters=filters, today=today), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/assignment_list.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "assignments": with_days(list(page.object_list), today=today),
            "today": today,
            # Tick boxes and the steps for the ticked rows, only for who may take a step.
            "bulk_steps": assignment_policy.bulk_steps(request.user),
        },
    )
