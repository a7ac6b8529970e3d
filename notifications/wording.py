"""The words of a reminder, from the one day count it carries, so its title in the bell and its
line in the email never disagree.

"Overdue" (quá hạn) means past the due date, as on every page: a reminder sent after the
deadline is titled overdue, whichever step of the policy sent it (the step says when the
reminder fires, not what the person reads). A reminder about a period's report speaks in the
reporting status's words (tasks.reporting): quá hạn gửi, sắp đến hạn gửi, chưa đến hạn.
"""

from datetime import date, timedelta

from django.utils.translation import gettext, ngettext

from tasks.reporting import reporting_status


def when_phrase(days: int) -> str:
    """The day count, lower case, as the digest's lines and the pages write it: "quá hạn 2
    ngày", "đến hạn hôm nay", "còn 7 ngày"."""
    if days > 0:
        return ngettext("%(days)d day overdue", "%(days)d days overdue", days) % {"days": days}
    if days < 0:
        return ngettext("%(days)d day left", "%(days)d days left", -days) % {"days": -days}
    return gettext("due today")


def deadline_title(days: int) -> str:
    """The title of a reminder about a task's deadline or an explanation's due date."""
    if days > 0:
        return ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", days) % {
            "days": days
        }
    if days < 0:
        return ngettext("Due in %(days)d day", "Due in %(days)d days", -days) % {"days": -days}
    return gettext("Due today")


def period_report_title(days: int, *, due_on: date) -> str:
    """The title of a reminder about a period's report: the reporting status on the day it was
    sent (nothing sent, since a sent report is not reminded), then the day count."""
    status = reporting_status(first_sent_at=None, due_on=due_on, today=due_on + timedelta(days))
    return gettext("%(status)s: %(when)s") % {"status": status.label, "when": when_phrase(days)}


def reminder_title(subject_kind: str, days: int, *, deadline: date) -> str:
    if subject_kind == "period_report":
        return period_report_title(days, due_on=deadline)
    return deadline_title(days)


def notice_title(notice) -> str:
    """What happened, in a few words: the event, told of a report or a figure."""
    event = notice.event
    figure = notice.yearly_figure_id is not None
    if event == "submitted":
        return (
            gettext("Figure submitted for review")
            if figure
            else gettext("Report submitted for review")
        )
    if event == "resubmitted":
        return (
            gettext("Figure submitted again after its return")
            if figure
            else gettext("Report submitted again after its return")
        )
    if event == "accepted":
        return gettext("Figure accepted") if figure else gettext("Report accepted")
    if event == "returned":
        return gettext("Figure returned") if figure else gettext("Report returned")
    if event == "extension_requested":
        return gettext("Extension requested")
    if event == "extension_decided":
        approved = notice.extension_request.state == "approved"
        return gettext("Extension approved") if approved else gettext("Extension refused")
    if event == "finding_recorded":
        return gettext("Supervision finding recorded")
    if event == "explanation_requested":
        return gettext("Explanation requested")
    if event == "explanation_answered":
        return gettext("Explanation answered")
    if event == "message_posted":
        return gettext("New message in the discussion")
    return notice.get_event_display()


def reminder_link(reminder) -> str:
    """The path of the page a reminder or notice is about, built without a query."""
    from django.urls import reverse

    if reminder.progress_report_id is not None:
        return reverse("report_detail", args=[reminder.progress_report_id])
    if reminder.yearly_figure_id is not None:
        return reverse("figure_detail", args=[reminder.yearly_figure_id])
    if reminder.explanation_request_id is not None:
        return reverse("explanation_detail", args=[reminder.explanation_request_id])
    if reminder.message_id is not None:
        thread = reverse("discussion_thread", args=[reminder.assignment_id])
        return f"{thread}#message-{reminder.message_id}"
    path = reverse("assignment_detail", args=[reminder.assignment_id])
    if reminder.extension_request_id is not None:
        return f"{path}#extensions-heading"
    if reminder.finding_id is not None:
        return f"{path}#findings-heading"
    return path
