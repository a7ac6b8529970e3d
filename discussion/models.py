"""The conversation on an assignment (trao đổi): messages between the body that carries the
work out, the Party Office and the supervisors of the task, with their files.

Return reasons and findings are not copied here: the thread reads them from where the
workflow stores them (a report's history, the findings) as its opening entries, and a
message may answer one of them (`report`, `finding`).

Glossary: message — tin nhắn; thread — trao đổi; withdrawn — thu hồi.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tasks.models import Assignment, Finding, ProgressReport
from tasks.models.reports import attachment_storage

# The author may correct a message for this long after writing it, never after.
EDIT_WINDOW_MINUTES = 15
TEXT_MAX_LENGTH = 5000


class Message(models.Model):
    """One message in an assignment's thread. Never deleted: withdrawing it keeps the row, the
    time and who withdrew it; its text stays only in the history."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("assignment"),
    )
    # The report the message is about (an answer to its return, or a word on a draft): while
    # that report is a draft, the message stays within the body, as the draft does.
    report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("about the report"),
    )
    # The finding the message answers.
    finding = models.ForeignKey(
        Finding,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answers the finding"),
    )
    text = models.TextField(_("message"), max_length=TEXT_MAX_LENGTH, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["assignment", "created_at"], name="message_thread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=False) | ~Q(text=""),
                name="message_has_text_unless_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=True) | Q(finding__isnull=True),
                name="message_answers_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.author} · {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def editable_until(self):
        return self.created_at + timedelta(minutes=EDIT_WINDOW_MINUTES)


class MessageAttachment(models.Model):
    """A file attached to a message, under the product's attachment rules, stored beside the
    reports' files and handed out only through the thread's policy."""

    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(
        _("file"), storage=attachment_storage, upload_to="discussion/%Y/%m/", max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="message_attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name
