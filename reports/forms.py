"""The form of the reports' pages: what a user asks a report for."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.collation import collated
from accounts.models import Body
from programme.models import Programme
from tasks.forms import date_field
from tasks.models import ReportingPeriod

from .models import GeneratedReportKind, Signatory


class SignatoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, signatory: Signatory) -> str:
        return f"{signatory.name}, {signatory.position} ({signatory.body.display_name})"


class GeneratedReportForm(forms.Form):
    """What a user asks a report for: its kind, a period or a date, the body for the kinds
    about one body, and who signs. The choices are those the permission policy lets the user
    ask for; it starts on the open period and, for a supervisor, on their own body."""

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
    signatory = SignatoryChoiceField(
        label=_("Signed by"),
        queryset=Signatory.objects.none(),
        required=False,
        empty_label=_("Whoever holds the post on the report's date"),
        help_text=_(
            "Another person in office may sign instead, for example a deputy signing for the head."
        ),
    )

    def __init__(self, *args, kinds: list[str], bodies, own_bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, GeneratedReportKind(kind).label) for kind in kinds]
        self.fields["programme"].queryset = Programme.objects.all()
        periods = ReportingPeriod.objects.select_related("programme").order_by(
            "programme", "-due_on"
        )
        self.fields["period"].queryset = periods
        self.fields["body"].queryset = bodies.order_by("position", collated("name"))
        self.fields["signatory"].queryset = (
            Signatory.objects.in_office_on(timezone.localdate())
            .select_related("body")
            .order_by("body__position", "rank", "name")
        )
        if not self.is_bound:
            # Start right: the open period, and the only kind and body a person may ask for.
            open_periods = [p for p in periods if p.state == ReportingPeriod.State.OPEN]
            if open_periods:
                current = min(open_periods, key=lambda p: (p.due_on, p.pk))
                self.initial.setdefault("period", current.pk)
            if len(kinds) == 1:
                self.initial.setdefault("kind", kinds[0])
            if len(own_bodies) == 1:
                self.initial.setdefault("body", own_bodies[0].pk)

    def clean(self):
        data = super().clean()
        period, as_of_date = data.get("period"), data.get("as_of_date")
        if "period" in data and "as_of_date" in data:
            if period is None and as_of_date is None:
                raise ValidationError(_("Choose a reporting period or a date."))
            if period is not None and as_of_date is not None:
                raise ValidationError(_("Choose either a reporting period or a date, not both."))
        return data
