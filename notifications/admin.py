from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_q.tasks import async_task

from config.admin import HistoryAdmin

from . import services
from .models import EmailDelivery, EmailState, Reminder, ReminderStep


@admin.register(ReminderStep)
class ReminderStepAdmin(HistoryAdmin):
    """The reminder policy, which administrators change here."""

    list_display = [
        "name",
        "code",
        "days_from_deadline",
        "repeat_every_days",
        "audience",
        "is_active",
    ]
    list_filter = ["audience", "is_active"]
    search_fields = ["name", "name_en", "code"]


class LogAdmin(admin.ModelAdmin):
    """A delivery log: read, never written, from the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(LogAdmin):
    list_display = [
        "created_at",
        "recipient",
        "step",
        "subject_kind",
        "event",
        "assignment",
        "deadline",
        "days_from_deadline",
        "read_at",
        "superseded_at",
        "email_state",
    ]
    list_filter = [
        "subject_kind",
        "event",
        "delivery",
        "step",
        ("read_at", admin.EmptyFieldListFilter),
        ("superseded_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["recipient__username", "recipient__full_name", "assignment__item__key"]
    list_select_related = [
        "recipient",
        "step",
        "assignment__item__programme",
        "assignment__body",
    ]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # The email that carried a reminder is its sweep's digest to the same person.
        digest = EmailDelivery.objects.filter(
            sweep=OuterRef("sweep"), recipient=OuterRef("recipient")
        )
        return (
            super().get_queryset(request).annotate(email_state=Subquery(digest.values("state")[:1]))
        )

    @admin.display(description=_("email"), ordering="email_state")
    def email_state(self, reminder) -> str:
        if reminder.email_state is None:
            return "—"
        return EmailState(reminder.email_state).label


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(LogAdmin):
    list_display = [
        "created_at",
        "to_address",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["state"]
    search_fields = ["to_address", "recipient__username", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]

    @admin.action(description=_("Try sending again now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        retryable = queryset.filter(state__in=[EmailState.FAILED, EmailState.GIVEN_UP])
        count = services.email_deliveries_retry_now(deliveries=list(retryable))
        transaction.on_commit(lambda: async_task("notifications.jobs.emails_retry"))
        self.message_user(
            request,
            ngettext(
                "%(count)d email will be sent again shortly.",
                "%(count)d emails will be sent again shortly.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_emaildelivery")
