"""The form of the reports' pages: what a user asks a report for."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.collation import collated
from accounts.models import Body
from programme.models import Programme
from tasks.forms import date_field
from tasks.models import ReportingPeriod

from .models import GeneratedReportKind


class GeneratedReportForm(forms.Form):
    """What a user asks a report for: its kind, a period or a date, and the body for the kinds
    about one body. The choices are those the permission policy lets the user ask for."""

    kind = forms.ChoiceField(label=_("Kind of report"))
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), empty_label=None
    )
    period = forms.ModelChoiceField(
        label=_("Reporting period"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label=_("Not for a period: as of a date"),
    )
    as_of_date = date_field(_("Or as of the date"), required=False)
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("None (a report on the whole programme)"),
        help_text=_(
            "For an oversight report, the supervising body; for a body's report, the body."
        ),
    )

    def __init__(self, *args, kinds: list[str], bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, GeneratedReportKind(kind).label) for kind in kinds]
        self.fields["programme"].queryset = Programme.objects.all()
        self.fields["period"].queryset = ReportingPeriod.objects.select_related(
            "programme"
        ).order_by("programme", "-due_on")
        self.fields["body"].queryset = bodies.order_by("position", collated("name"))

    def clean(self):
        data = super().clean()
        period, as_of_date = data.get("period"), data.get("as_of_date")
        if "period" in data and "as_of_date" in data and (period is None) == (as_of_date is None):
            raise ValidationError(_("Choose either a reporting period or a date, not both."))
        return data
