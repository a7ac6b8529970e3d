"""The thread of an assignment (trao đổi) and what acts on its messages.

Each view reads the assignment or the message, asks the thread's policy (what the user may not
see is a 404, what they see but may not do is a 403), parses the input with a form, calls one
service and redirects; a service's refusal comes back on the page with status 400, nothing
saved."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import SecurityEvent
from accounts.permissions import refuse
from accounts.security import security_event_record
from programme.citations import cite_key
from review.forms import add_service_errors
from review.views import GET_AND_POST, posted
from tasks.permissions import Action as TaskAction
from tasks.permissions import report_policy
from tasks.views.assignments import visible_assignment

from .forms import MessageEditForm, MessageForm
from .models import EDIT_WINDOW_MINUTES, Message, MessageAttachment
from .permissions import Action, discussion_policy
from .selectors import findings_shown, thread_entries
from .services import message_edit, message_post, message_withdraw


def _reports(user, assignment):
    reports = list(
        report_policy.instances_user_has_permission_for(user, TaskAction.VIEW)
        .filter(assignment=assignment)
        .select_related("period")
        .order_by("-period__due_on", "-period__kind")
    )
    return reports


@GET_AND_POST
def thread(request, pk: int):
    """The thread: return reasons and findings as its opening entries, the messages after
    them; a message written here by whoever may write."""
    assignment = visible_assignment(request, pk)
    user = request.user
    may_write = discussion_policy.user_has_permission_for_instance(user, Action.WRITE, assignment)
    if request.method == "POST" and not may_write:
        refuse(request, what=f"write discussion of assignment #{assignment.pk}")
    form = None
    findings = findings_shown(assignment)
    if may_write:
        reports = _reports(user, assignment)
        initial = {"answers": request.GET.get("answers", "")}
        form = MessageForm(
            posted(request),
            request.FILES or None,
            reports=reports,
            findings=findings,
            initial=initial,
        )
        if request.method == "POST" and form.is_valid():
            try:
                message = message_post(
                    assignment=assignment,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data.get("file"),
                    acting_user=user,
                    **form.answered(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                flash.success(request, _("The message was sent."))
                return redirect(
                    reverse("discussion_thread", args=[assignment.pk]) + f"#message-{message.pk}"
                )
    entries = thread_entries(user, assignment, findings=findings)
    for entry in entries:
        if entry.kind == "message":
            m = entry.item
            # The thread's own assignment, already read and checked: no query per message.
            m.assignment = assignment
            m.may_edit = discussion_policy.user_has_permission_for_instance(user, Action.EDIT, m)
            m.may_withdraw = discussion_policy.user_has_permission_for_instance(
                user, Action.WITHDRAW, m
            )
    return render(
        request,
        "discussion/thread.html",
        {
            "assignment": assignment,
            "citation": cite_key(assignment.item.key),
            "entries": entries,
            "form": form,
            "edit_minutes": EDIT_WINDOW_MINUTES,
        },
        status=400 if request.method == "POST" else 200,
    )


def _visible_message(request, pk: int) -> Message:
    message = get_object_or_404(
        Message.objects.select_related(
            "assignment__item__programme", "assignment__body", "report", "author"
        ),
        pk=pk,
    )
    discussion_policy.require(request, Action.VIEW, message, hide=True)
    return message


@GET_AND_POST
def message_edit_view(request, pk: int):
    message = _visible_message(request, pk)
    discussion_policy.require(request, Action.EDIT, message)
    form = MessageEditForm(posted(request), initial={"text": message.text})
    if request.method == "POST" and form.is_valid():
        try:
            message_edit(message=message, text=form.cleaned_data["text"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The message was corrected."))
            thread_url = reverse("discussion_thread", args=[message.assignment_id])
            return redirect(f"{thread_url}#message-{message.pk}")
    assignment = message.assignment
    return render(
        request,
        "discussion/message_form.html",
        {
            "assignment": assignment,
            "citation": cite_key(assignment.item.key),
            "message": message,
            "form": form,
            "edit_minutes": EDIT_WINDOW_MINUTES,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def message_withdraw_view(request, pk: int):
    message = _visible_message(request, pk)
    discussion_policy.require(request, Action.WITHDRAW, message)
    message_withdraw(message=message, acting_user=request.user)
    flash.success(request, _("The message was withdrawn."))
    return redirect(
        reverse("discussion_thread", args=[message.assignment_id]) + f"#message-{message.pk}"
    )


@require_safe
def attachment_download(request, pk: int):
    attachment = get_object_or_404(MessageAttachment.objects.select_related("message"), pk=pk)
    message = _visible_message(request, attachment.message_id)
    if message.is_withdrawn:
        raise Http404(_("The message was withdrawn."))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing from storage.")) from missing
    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD,
        request=request,
        detail=f"message attachment #{attachment.pk} ({attachment.original_name}) "
        f"of message #{message.pk}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
