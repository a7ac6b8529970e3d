from django.contrib import admin

from config.admin import HistoryAdmin

from .models import Item, Programme, Recipient, Region, RegionLocality, Target


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(HistoryAdmin):
    list_display = ["code", "document_type", "resolution_number", "issuing_body"]
    search_fields = ["code", "title", "resolution_number"]
    autocomplete_fields = ["issuing_body"]
    inlines = [RecipientInline]


@admin.register(Recipient)
class RecipientAdmin(HistoryAdmin):
    list_display = ["programme", "position", "text"]
    list_filter = ["programme"]


@admin.register(Item)
class ItemAdmin(HistoryAdmin):
    list_display = ["key", "kind", "section", "short_text", "programme"]
    list_filter = ["programme", "section", "kind"]
    search_fields = ["key", "search_text"]
    autocomplete_fields = ["parent"]
    list_select_related = ["programme"]
    ordering = ["programme", "sequence"]

    @admin.display(description=Item._meta.get_field("text").verbose_name)
    def short_text(self, item: Item) -> str:
        return item.text[:100]


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = [
        "name",
        "comparator",
        "value",
        "value_max",
        "unit",
        "target_year",
        "responsible_body",
        "baseline_year",
        "baseline_value",
    ]
    list_filter = ["programme", "measure"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["item", "responsible_body"]
    list_select_related = ["item", "item__programme"]


class RegionLocalityInline(admin.TabularInline):
    model = RegionLocality
    extra = 0
    autocomplete_fields = ["body"]


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["name", "code", "item"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["item"]
    inlines = [RegionLocalityInline]


@admin.register(RegionLocality)
class RegionLocalityAdmin(HistoryAdmin):
    list_display = ["region", "body"]
    list_select_related = ["region", "body"]
