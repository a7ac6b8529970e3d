"""Reorganisations in the admin: the applied acts, read-only, and the page that applies a plan
after showing its trial run."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.admin import HistoryAdmin

from .forms import PlanForm
from .models import Reorganisation, Succession
from .permissions import reorganisation_policy
from .plan import PlanRefused
from .services import reorganisation_apply


class SuccessionInline(admin.TabularInline):
    model = Succession
    fields = ["ended_body", "successor", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reorganisation)
class ReorganisationAdmin(HistoryAdmin):
    """An act is changed only by applying it: the admin reads it, and applies new ones."""

    list_display = ["title", "basis_number", "basis_date", "effective_on", "applied_at"]
    readonly_fields = [
        "code",
        "title",
        "basis_number",
        "basis_date",
        "basis_issuer",
        "effective_on",
        "applied_at",
        "applied_by",
        "plan",
    ]
    inlines = [SuccessionInline]

    def has_view_permission(self, request, obj=None) -> bool:
        return reorganisation_policy.user_has_permission(request.user, reorganisation_policy.APPLY)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "apply/",
                self.admin_site.admin_view(self.apply_view),
                name="reorganisation_reorganisation_apply",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "apply_url": reverse("admin:reorganisation_reorganisation_apply"),
        }
        return super().changelist_view(request, extra_context)

    def apply_view(self, request):
        """First the trial run of the chosen plan, then, confirmed, the same plan applied."""
        if not reorganisation_policy.user_has_permission(request.user, reorganisation_policy.APPLY):
            raise PermissionDenied
        form = PlanForm(request.POST or None, request.FILES or None)
        outcome, faults, status = None, [], 200
        if request.method == "POST":
            if form.is_valid():
                plan = form.cleaned_data["plan"]
                confirmed = request.POST.get("confirm") == "1"
                try:
                    outcome = reorganisation_apply(
                        plan=plan, acting_user=request.user, dry_run=not confirmed
                    )
                except PlanRefused as refused:
                    faults, status = refused.faults, 400
                else:
                    if confirmed:
                        messages.success(request, _("The reorganisation was applied."))
                        return redirect(
                            "admin:reorganisation_reorganisation_change",
                            outcome.reorganisation.pk,
                        )
            else:
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": gettext_lazy("Apply a reorganisation plan"),
            "opts": self.model._meta,
            "form": form,
            "outcome": outcome,
            "faults": faults,
        }
        return TemplateResponse(request, "admin/reorganisation/apply.html", context, status=status)
