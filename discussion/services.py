"""Writing in an assignment's thread: a message posted (with an optional file), corrected by
its author within the edit window, or withdrawn with a trace. Each write is checked against
the thread's policy here too, is one transaction, and is a history record with the acting user
and a reason. A posted message is announced on `review.signals.workflow_step` once committed,
where the notices listen."""

import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.services import clean_text, ensure, step_announce, tracked_save
from tasks.models import Assignment, Finding, ProgressReport
from tasks.permissions import Action as TaskAction
from tasks.permissions import report_policy
from tasks.services.reports import upload_inspect

from .models import EDIT_WINDOW_MINUTES, TEXT_MAX_LENGTH, Message, MessageAttachment
from .permissions import Action, discussion_policy
from .selectors import findings_of

# What the workflow step that posts a message is called, for the notices.
MESSAGE_POSTED = "message_posted"
# Longer than any word or address people write: a run of this many characters without a space
# is pasted noise that would stretch the page.
LONGEST_WORD = 200
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_WORD = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


def message_text_clean(text: str) -> str:
    """The message's text as it is kept, or a ValidationError on "text" saying what is wrong:
    plain text, not empty, within TEXT_MAX_LENGTH, no word longer than LONGEST_WORD."""
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write the message.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("A message holds at most %(max)d characters; this one has %(n)d.")
                % {"max": TEXT_MAX_LENGTH, "n": len(text)}
            }
        )
    if _TAG.search(text):
        raise ValidationError(
            {"text": _("A message is plain text: remove the HTML tags (text between < and >).")}
        )
    if _WORD.search(text):
        raise ValidationError(
            {
                "text": _("A word is longer than %(max)d characters: add spaces or shorten it.")
                % {"max": LONGEST_WORD}
            }
        )
    return text


def _check_reference(
    assignment: Assignment, report: ProgressReport | None, finding: Finding | None, user
) -> None:
    if report is not None and report.assignment_id != assignment.pk:
        raise ValidationError({"report": _("The report is not one of this assignment's.")})
    if finding is not None and not findings_of(assignment).filter(pk=finding.pk).exists():
        raise ValidationError({"finding": _("The finding is not about this assignment.")})
    if report is not None and finding is not None:
        raise ValidationError(_("A message answers a report or a finding, not both."))
    if report is not None and not report_policy.user_has_permission_for_instance(
        user, TaskAction.VIEW, report
    ):
        raise PermissionDenied(f"view report #{report.pk}")


@transaction.atomic
def message_post(
    *,
    assignment: Assignment,
    text: str,
    acting_user,
    report: ProgressReport | None = None,
    finding: Finding | None = None,
    upload: UploadedFile | None = None,
) -> Message:
    """Write a message in the assignment's thread, about one of its reports or answering a
    finding if given, with a file under the attachment rules. The other side is told once the
    message is committed (the notices' job)."""
    ensure(discussion_policy, acting_user, Action.WRITE, assignment)
    _check_reference(assignment, report, finding, acting_user)
    message = Message(
        assignment=assignment,
        report=report,
        finding=finding,
        text=message_text_clean(text),
        author=acting_user,
        created_at=timezone.now(),
    )
    inspected = upload_inspect(upload=upload) if upload is not None else None
    tracked_save(message, acting_user=acting_user, reason=_("Message written"))
    if inspected is not None:
        _attach(message, upload, inspected, acting_user)
    step_announce(message, MESSAGE_POSTED, acting_user)
    return message


def _attach(message: Message, upload: UploadedFile, inspected, acting_user) -> None:
    attachment = MessageAttachment(
        message=message,
        original_name=inspected.name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=acting_user,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{inspected.extension}", upload, save=False)
    stored, storage = attachment.file.name, attachment.file.storage
    try:
        tracked_save(attachment, acting_user=acting_user, reason=_("File attached"))
    except Exception:
        storage.delete(stored)
        raise


def _locked(message: Message) -> Message:
    return Message.objects.select_for_update().select_related("assignment").get(pk=message.pk)


@transaction.atomic
def message_edit(*, message: Message, text: str, acting_user, now=None) -> Message:
    """The author corrects the message's text, within EDIT_WINDOW_MINUTES of writing it; after
    that, or once withdrawn, never."""
    now = now or timezone.now()
    message = _locked(message)
    ensure(discussion_policy, acting_user, Action.VIEW, message)
    if message.author_id != acting_user.pk:
        raise PermissionDenied(f"edit message #{message.pk}")
    if message.is_withdrawn:
        raise ValidationError(_("A withdrawn message cannot be edited."))
    if now > message.editable_until():
        raise ValidationError(
            _("A message can be edited only within %(minutes)d minutes of writing it.")
            % {"minutes": EDIT_WINDOW_MINUTES}
        )
    text = message_text_clean(text)
    if text == message.text:
        return message
    message.text = text
    message.edited_at = now
    tracked_save(message, acting_user=acting_user, reason=_("Message edited"))
    return message


@transaction.atomic
def message_withdraw(*, message: Message, acting_user, now=None) -> Message:
    """The author withdraws the message: the row stays with the time it was withdrawn, its text
    leaves the thread and stays in the history; its files are no longer handed out."""
    now = now or timezone.now()
    message = _locked(message)
    ensure(discussion_policy, acting_user, Action.VIEW, message)
    if message.author_id != acting_user.pk:
        raise PermissionDenied(f"withdraw message #{message.pk}")
    if message.is_withdrawn:
        raise ValidationError(_("The message was already withdrawn."))
    message.withdrawn_at = now
    message.text = ""
    tracked_save(message, acting_user=acting_user, reason=_("Message withdrawn"))
    return message
