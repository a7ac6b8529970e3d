"""Sign-in lockouts: the list from which administrators lift them, and
the page shown in place of a refused sign-in."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import services
from .exports import list_response
from .forms import LockoutLiftForm, SecurityEventFilterForm
from .lists import SecurityEventTable
from .lockouts import address_window
from .permissions import accounts_policy
from .selectors import lockouts_in_force, security_events


@require_safe
def lockout_list(request):
    accounts_policy.require(request, accounts_policy.MANAGE)
    return render(request, "accounts/lockout_list.html", {"lockouts": lockouts_in_force()})


@require_safe
def security_event_list(request):
    """The security log, for administrators: sign-ins, refusals, downloads and exports."""
    accounts_policy.require(request, accounts_policy.MANAGE)
    form = SecurityEventFilterForm(request.GET or None)
    return list_response(
        request,
        SecurityEventTable(security_events(**form.filters()), request=request),
        form=form,
        default_sort="-at",
        template_name="accounts/securityevent_list.html",
        context={},
    )


@require_POST
def lockout_lift(request):
    accounts_policy.require(request, accounts_policy.MANAGE)
    form = LockoutLiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That lockout could not be found."))
    elif services.lockout_lift(**form.cleaned_data, acting_user=request.user, request=request):
        lifted = form.cleaned_data
        if lifted["by_address"]:
            done = _("Signing in from %(address)s works again.")
        else:
            done = _("%(username)s may sign in from %(address)s again.")
        messages.success(
            request, done % {"address": lifted["ip_address"], "username": lifted["username"]}
        )
    else:
        messages.info(request, _("That lockout had already ended."))
    return redirect("lockout_list")


def locked_out(request, original_response=None, credentials=None):
    """The page shown in place of a refused sign-in (AXES_LOCKOUT_CALLABLE): which lockout,
    and for how long."""
    by_address = getattr(request, "lockout_by_address", False)
    duration = address_window() if by_address else get_cool_off(request)
    return render(
        request,
        "registration/locked_out.html",
        {"by_address": by_address, "minutes": round(duration.total_seconds() / 60)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
