from django.contrib import admin

from config.admin import HistoryAdmin

from .models import (
    Assignment,
    Attachment,
    CitedDocument,
    ExtensionRequest,
    Finding,
    ProgressReport,
    ReportingPeriod,
)
from .permissions import Action, assignment_policy, report_policy


@admin.register(Assignment)
class AssignmentAdmin(HistoryAdmin):
    list_display = ["item", "body", "role", "deadline_kind", "deadline", "extended_deadline"]
    list_filter = ["role", "deadline_kind", "body__kind", "item__programme"]
    search_fields = ["item__key", "body__name", "body__short_name"]
    autocomplete_fields = ["item", "body", "basis", "parent"]
    list_select_related = ["item", "item__programme", "body"]
    # Completion comes from an accepted report, never from typing. Deadlines are the Party
    # Office's decision, set on the assignment's page (assignment_set_deadline), not here.
    readonly_fields = ["completed_on", "deadline_kind", "deadline", "extended_deadline"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(HistoryAdmin):
    list_display = ["name", "kind", "starts_on", "ends_on", "due_on", "state", "programme"]
    list_filter = ["programme", "kind", "state"]
    search_fields = ["name", "code"]
    # The Party Office opens and closes periods on the periods page; here they are planned.
    readonly_fields = ["state"]


class ReadOnlyAdmin(HistoryAdmin):
    """Reports and what hangs under them change only through the workflow's pages; the admin
    shows what the permission policy lets the administrator see, and nothing more."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return assignment_policy.user_has_permission(request.user, Action.VIEW)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "period", "state", "percent_complete", "submitted_at"]
    list_filter = ["state", "period__programme"]
    list_select_related = ["assignment__item", "assignment__body", "period"]

    def get_queryset(self, request):
        return report_policy.instances_user_has_permission_for(request.user, Action.VIEW)


@admin.register(CitedDocument)
class CitedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_on", "issuer", "report"]

    def get_queryset(self, request):
        visible = report_policy.instances_user_has_permission_for(request.user, Action.VIEW)
        return CitedDocument.objects.filter(report__in=visible)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_at", "report"]
    exclude = ["file"]

    def get_queryset(self, request):
        visible = report_policy.instances_user_has_permission_for(request.user, Action.VIEW)
        return Attachment.objects.filter(report__in=visible)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "state", "current_deadline", "proposed_deadline"]
    list_filter = ["state"]

    def get_queryset(self, request):
        visible = assignment_policy.instances_user_has_permission_for(request.user, Action.VIEW)
        return ExtensionRequest.objects.filter(assignment__in=visible)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["supervision", "period", "recorded_at"]

    def get_queryset(self, request):
        visible = assignment_policy.instances_user_has_permission_for(request.user, Action.VIEW)
        return Finding.objects.filter(supervision__in=visible)
