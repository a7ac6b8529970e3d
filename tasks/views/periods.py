"""Reporting periods: the list, one period's reports by body, and opening and closing a
period (the Party Office's, through the policy and tasks.services.periods)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exports import list_response

from ..dashboards.access import may_manage_periods
from ..dashboards.periods import period_page, period_rows
from ..models import ReportingPeriod
from ..permissions import Action, assignment_policy
from ..services import periods as period_services
from ..tables import PeriodTable


@require_safe
def period_list(request):
    rows = period_rows(user=request.user, today=timezone.localdate())
    shows_counts = any(row.counts is not None for row in rows)
    may_manage = may_manage_periods(request.user)
    table = PeriodTable(rows, shows_counts=shows_counts, may_manage=may_manage, request=request)
    return list_response(
        request,
        table,
        default_sort="programme,due" if "programme" in table.columns else "due",
        template_name="tasks/period_list.html",
        context={"shows_counts": shows_counts, "may_manage": may_manage},
    )


@require_safe
def period_detail(request, pk: int):
    period = get_object_or_404(ReportingPeriod.objects.select_related("programme"), pk=pk)
    return render(
        request,
        "tasks/period_detail.html",
        {
            "page": period_page(user=request.user, period=period),
            "period": period,
            "may_manage": may_manage_periods(request.user),
        },
    )


def _change_state(request, pk: int, service, done: str):
    assignment_policy.require(request, Action.MANAGE_PERIOD)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        period = service(period=period, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"period": period.name})
    return redirect("period_detail", pk=period.pk)


@require_POST
def period_open(request, pk: int):
    return _change_state(
        request, pk, period_services.period_open, _("The period %(period)s is open for reports.")
    )


@require_POST
def period_close(request, pk: int):
    return _change_state(
        request,
        pk,
        period_services.period_close,
        _("The period %(period)s is closed: it takes no new or changed reports."),
    )
