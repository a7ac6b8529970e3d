from django.contrib import admin

from accounts.models import Role
from accounts.permissions import holds_role
from config.admin import HistoryAdmin
from tasks.permissions import Action, assignment_policy

from .models import GeneratedReport, Signatory
from .permissions import generated_report_policy


@admin.register(Signatory)
class SignatoryAdmin(HistoryAdmin):
    """Who signs each body's reports, and when: administrators keep it as posts change hands,
    with the public source of each fact; every change is kept in the history."""

    list_display = ["name", "position", "body", "authority", "rank", "valid_from", "valid_to"]
    list_filter = ["body", "authority"]
    search_fields = ["name", "position"]
    list_select_related = ["body"]
    autocomplete_fields = ["body"]
    date_hierarchy = "valid_from"

    @staticmethod
    def _administers(request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or holds_role(user, Role.ADMINISTRATOR))

    def has_module_permission(self, request) -> bool:
        return self._administers(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._administers(request)

    def has_add_permission(self, request) -> bool:
        return self._administers(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._administers(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._administers(request)


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """Generated reports are immutable snapshots built by the task cluster: read-only here,
    limited to those the policy lets the administrator read, files served only by the
    download views."""

    list_display = ["kind", "period", "as_of_date", "body", "state", "requested_at", "page_count"]
    list_filter = ["kind", "state"]
    list_select_related = ["period", "body"]
    exclude = ["pdf", "xlsx"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is not None:
            return generated_report_policy.user_has_permission_for_instance(
                request.user, generated_report_policy.VIEW, obj
            )
        return assignment_policy.user_has_permission(request.user, Action.VIEW)

    def get_queryset(self, request):
        return generated_report_policy.instances_user_has_permission_for(
            request.user, generated_report_policy.VIEW
        )
