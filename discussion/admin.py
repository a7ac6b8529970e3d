from django.contrib import admin

from config.admin import HistoryAdmin
from tasks.permissions import Action as TaskAction
from tasks.permissions import assignment_policy

from .models import Message, MessageAttachment
from .permissions import discussion_policy


class ReadOnlyAdmin(HistoryAdmin):
    """Messages change only on the thread's pages, through the services; the admin shows what
    the thread's policy lets the administrator read (never a message about another body's
    draft), with each message's history, withdrawn text included."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return assignment_policy.user_has_permission(request.user, TaskAction.VIEW)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "author", "created_at", "edited_at", "withdrawn_at"]
    list_select_related = ["assignment__item", "assignment__body", "author"]

    def get_queryset(self, request):
        return discussion_policy.instances_user_has_permission_for(request.user)


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_at", "message"]
    exclude = ["file"]

    def get_queryset(self, request):
        visible = discussion_policy.instances_user_has_permission_for(request.user)
        return MessageAttachment.objects.filter(message__in=visible)
