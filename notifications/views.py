"""The notification bell's pages: a person's reminders and notices, marking them read, and how
they want notices mailed."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.exports import list_export
from config.tables import export_format, table_configure
from tasks.services.common import RowsRefused
from tasks.views.bulk import (
    list_url,
    return_to_list,
    rows_with,
    selection_refused,
    selection_rows,
)

from . import notices, services
from .forms import NoticePreferencesForm
from .lists import NotificationTable
from .models import NoticePreference, Reminder
from .permissions import remind_now_policy, reminder_policy
from .selectors import reminders_for_display
from .supersession import superseded_why
from .wording import reminder_title


@require_safe
def notification_list(request):
    reminder_policy.require(request, reminder_policy.VIEW)
    mine = reminder_policy.instances_user_has_permission_for(request.user, reminder_policy.VIEW)
    table = NotificationTable(reminders_for_display(mine), request=request)
    fmt = export_format(request)
    if fmt is not None:
        return list_export(request, table, fmt=fmt, default_sort="-created")
    table_configure(request, table, default_sort="-created")
    rows = [
        Row(
            row.record,
            notices.notice_line(row.record) if row.record.is_notice else None,
            superseded_why(row.record) if row.record.superseded_at else "",
        )
        for row in table.paginated_rows
    ]
    return render(request, "notifications/notification_list.html", {"table": table, "rows": rows})


@dataclass(frozen=True)
class Row:
    """A line of the list: a reminder (with why it no longer applies, if so) or a notice
    (with what it tells)."""

    reminder: Reminder
    line: notices.NoticeLine | None
    why_superseded: str


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


# How many of the latest changes of the settings the page shows.
HISTORY_SHOWN = 10


@require_http_methods(["GET", "HEAD", "POST"])
def notice_preferences(request):
    """Which notices come by email at once and which in the daily digest; the person's own."""
    reminder_policy.require(request, reminder_policy.SET_PREFERENCES)
    user = request.user
    current = dict(NoticePreference.objects.filter(user=user).values_list("event", "delivery"))
    form = NoticePreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        changed = notices.notice_preferences_set(
            user=user, choices=form.choices(), acting_user=user
        )
        if changed:
            messages.success(request, _("Your notice settings were saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("notice_preferences")
    history = (
        NoticePreference.history.filter(user_id=user.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_SHOWN]
    )
    return render(
        request,
        "notifications/notice_preferences.html",
        {"form": form, "history": list(history)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def reminder_send_now(request):
    """Remind the bodies of the assignments ticked on the list, now: the confirmation page
    lists each assignment with what it will be reminded of and who will get it; the POST
    sends, all or nothing."""
    remind_now_policy.require(request, remind_now_policy.REMIND_NOW)
    template = "notifications/reminder_send_now.html"
    selection, ids, rows = selection_rows(request)
    if not ids:
        return selection_refused(request, template, selection, {})
    refusals: dict[int, str] = {}
    if request.method == "POST":
        try:
            result = services.reminders_send_now(assignment_ids=ids, acting_user=request.user)
        except RowsRefused as refused:
            refusals = refused.refusals
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s reminder was sent.",
                    "%(count)s reminders were sent.",
                    result.reminders,
                )
                % {"count": result.reminders},
            )
            return redirect(list_url(request))
    today = timezone.localdate()
    plan, recipients, planned_refusals = services.remind_now_plan(
        assignment_ids=list(rows), today=today
    )
    if not refusals:
        refusals = planned_refusals | {
            pk: _("This assignment does not exist.") for pk in ids if pk not in rows
        }
    listed = rows_with(ids, rows, refusals)
    for row in listed:
        row["deadlines"] = [
            (reminder_title(d.kind, (today - d.deadline).days, deadline=d.deadline), d.deadline)
            for d in plan.get(row["pk"], [])
        ]
        row["recipients"] = recipients.get(row["pk"], [])
    return render(
        request,
        template,
        {
            "selection": selection,
            **return_to_list(request),
            "rows": listed,
            "refused_count": len(refusals),
            "confirm": not refusals,
        },
        status=400 if refusals else 200,
    )
