from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from config.admin import HistoryAdmin

from .assessment import fmt
from .models import IndustrialArea, YearlyFigure


class IndustrialAreaForm(forms.ModelForm):
    class Meta:
        model = IndustrialArea
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "locality",
            "planned_area_ha",
            "leasable_area_ha",
            "responsible_body",
            "position",
        ]

    def clean(self):
        """The leasable land may not shrink below the land already reported as let."""
        data = super().clean()
        leasable = data.get("leasable_area_ha")
        if self.instance.pk and leasable is not None:
            # Only figures sent to the Party Office: a draft's value is its body's alone.
            sent = self.instance.figures.exclude(state__in=YearlyFigure.EDITABLE_STATES)
            occupied = sent.aggregate(most=Max("value"))["most"]
            if occupied is not None and occupied > leasable:
                raise forms.ValidationError(
                    _(
                        "A figure already reports %(occupied)s ha let in this area: the leasable "
                        "land cannot be less."
                    )
                    % {"occupied": fmt(occupied)}
                )
        return data


@admin.register(IndustrialArea)
class IndustrialAreaAdmin(HistoryAdmin):
    """The register of zones and clusters. Yearly figures are not here: they go through the
    reporting workflow, and drafts stay with their body."""

    form = IndustrialAreaForm
    list_display = [
        "name",
        "kind",
        "locality",
        "planned_area_ha",
        "leasable_area_ha",
        "responsible_body",
    ]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code", "locality"]
    autocomplete_fields = ["responsible_body"]
    list_select_related = ["responsible_body"]
