from datetime import UTC

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from config.admin import HistoryAdmin

from .models import Body, Membership, Role, SecurityEvent, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body", "role"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Position"), {"fields": ("full_name", "job_title")}),
    )
    inlines = [MembershipInline]


@admin.register(Body)
class BodyAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "name_en", "code"]
    autocomplete_fields = ["parent", "successor"]
    prepopulated_fields = {"code": ["short_name"]}


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "code", "position"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "body", "role", "valid_from", "valid_to"]
    list_filter = ["role", "body__kind"]
    search_fields = ["user__username", "user__full_name", "body__name"]
    autocomplete_fields = ["user", "body", "role"]
    list_select_related = ["user", "body", "role"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Append-only: read, filter and search, never change."""

    list_display = ["at_utc", "kind", "username", "ip_address", "method", "path", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "path", "detail", "ip_address"]
    date_hierarchy = "at"
    fields = readonly_fields = [
        "at_utc",
        "kind",
        "user",
        "username",
        "ip_address",
        "method",
        "path",
        "detail",
    ]

    @admin.display(description=_("at (UTC)"), ordering="at")
    def at_utc(self, event: SecurityEvent) -> str:
        """The moment in UTC with its offset, unambiguous whatever the reader's time zone."""
        return event.at.astimezone(UTC).isoformat(timespec="seconds")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
