"""The notification bell's pages: a person's reminders, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import services
from .models import Reminder
from .permissions import reminder_policy
from .selectors import reminders_for_display

PAGE_SIZE = 25


@require_safe
def notification_list(request):
    reminder_policy.require(request, reminder_policy.VIEW)
    mine = reminder_policy.instances_user_has_permission_for(request.user, reminder_policy.VIEW)
    page = Paginator(
        reminders_for_display(mine).order_by("-created_at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notification_list")


@require_POST
def notification_read(request, pk: int):
    reminder = get_object_or_404(Reminder, pk=pk)
    reminder_policy.require(request, reminder_policy.MARK_READ, reminder, hide=True)
    services.reminder_mark_read(reminder=reminder)
    return _back(request)


@require_POST
def notification_read_all(request):
    reminder_policy.require(request, reminder_policy.MARK_READ)
    count = services.reminders_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notification_list")
