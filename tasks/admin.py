from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["item", "body", "role", "basis"]
    list_filter = ["role", "body__kind", "item__programme"]
    search_fields = ["item__key", "body__name", "body__short_name"]
    autocomplete_fields = ["item", "body", "basis"]
    list_select_related = ["item", "item__programme", "body", "basis", "basis__programme"]
