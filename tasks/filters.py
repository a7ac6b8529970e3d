"""The filter forms of the lists and dashboards (GET forms: they change nothing).

Their choices come from tasks.dashboards.FilterChoices, fetched once per page, so validating
and drawing the form adds no query of its own.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .dashboards.assignment_list import AssignmentFilters, FilterChoices
from .dashboards.base import REPORTING, ReportFilter
from .dashboards.report_list import ReportFilters, Timing
from .models import Assignment, ReportingPeriod, ReportState
from .reporting import ReportingStatus, default_period
from .status import Status


def _period_choices(periods) -> list[tuple[int, str]]:
    """(id, "name (state)") for each period. The state's label is looked up once per form:
    get_state_display() per option was most of the form's time for hundreds of periods."""
    states = {value: str(label) for value, label in ReportingPeriod.State.choices}
    return [
        (period.pk, f"{period.display_name} ({states.get(period.state, period.state)})")
        for period in periods
    ]


class AssignmentFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.TypedChoiceField(
        label=_("Task group"), coerce=int, empty_value=None, required=False
    )
    body = forms.TypedChoiceField(label=_("Body"), coerce=int, empty_value=None, required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    # Its choices are the programmes of the page's task groups (see `programmes_offer`).
    # An id past the database's integer range is refused here, not by the database (SQLite
    # raises OverflowError on it).
    programme = forms.IntegerField(
        label=_("Programme"), required=False, min_value=1, max_value=2**31 - 1, widget=forms.Select
    )
    period = forms.TypedChoiceField(
        label=_("Reporting period"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only the assignments that owe a report for the period."),
    )
    report = forms.ChoiceField(
        label=_("Report for the period"),
        choices=[("", _("Any")), *ReportFilter.choices],
        required=False,
    )
    reporting = forms.MultipleChoiceField(
        label=_("Reporting status for the period"),
        choices=ReportingStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Without a period: the latest period past its due date, or else the open period."
        ),
    )

    def __init__(self, data=None, *, choices: FilterChoices, today: date | None = None):
        super().__init__(data)
        self.periods = {period.pk: period for period in choices.periods}
        self.default_period = (
            default_period(choices.periods, today=today) if today is not None else None
        )
        self.fields["group"].choices = [("", _("All task groups"))] + [
            (group.pk, f"{group.key} — {group.display_text[:70]}") for group in choices.groups
        ]
        self.fields["body"].choices = [("", _("All bodies"))] + [
            (body.pk, body.display_name) for body in choices.bodies
        ]
        self.fields["role"].choices = [
            ("", _("All roles")),
            (REPORTING, _("Carrying out the task (every role that reports)")),
            *Assignment.Role.choices,
        ]
        self.fields["programme"].choices = [("", _("All programmes"))] + [
            (programme.pk, programme.short_title) for programme in choices.programmes
        ]
        self.fields["period"].choices = [("", _("Any period")), *_period_choices(choices.periods)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("report") and not cleaned.get("period"):
            self.add_error("report", _("Choose the reporting period as well."))
        return cleaned

    def filters(self) -> AssignmentFilters:
        """The filters that are valid; a field in error is left out rather than emptying the
        list, and its error is shown beside it."""
        if self.data:
            self.is_valid()
            data = self.cleaned_data
        else:
            data = {}
        period_id = data.get("period")
        reporting = tuple(data.get("reporting") or ())
        period = self.periods.get(period_id) if period_id else None
        if reporting and period is None:
            period = self.default_period
        return AssignmentFilters(
            statuses=tuple(data.get("status") or ()),
            group_id=data.get("group"),
            body_id=data.get("body"),
            role=data.get("role") or "",
            programme_id=data.get("programme"),
            period=period,
            report=data.get("report") or "",
            reporting=reporting if period is not None else (),
        )


class PeriodChoiceForm(forms.Form):
    """The compliance overview's choices: a programme, when the province tracks more than one
    (empty: all), and a period; an empty period means the latest past its due date, or else the
    open one (tasks.reporting.default_period)."""

    # Its choices are the programmes of the page's task groups (see `programmes_offer`).
    programme = forms.IntegerField(
        label=_("Programme"), required=False, min_value=1, widget=forms.Select
    )
    period = forms.TypedChoiceField(
        label=_("Reporting period"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, data=None, *, periods):
        super().__init__(data)
        self.several_programmes = False
        self.fields["period"].choices = [
            ("", _("The latest period due")),
            *_period_choices(periods),
        ]

    def _chosen(self, name: str) -> int | None:
        if self.data and self.is_valid():
            return self.cleaned_data.get(name)
        return None

    def period_id(self) -> int | None:
        return self._chosen("period")

    def programme_id(self) -> int | None:
        return self._chosen("programme")

    def programmes_offer(self, programmes) -> None:
        """Offer the programmes the page found (no query of its own)."""
        self.several_programmes = len(programmes) > 1
        self.fields["programme"].widget.choices = [("", _("All programmes"))] + [
            (programme.pk, programme.short_title) for programme in programmes
        ]


class ReportFilterForm(forms.Form):
    """The progress report list's filters."""

    period = forms.TypedChoiceField(
        label=_("Reporting period"), coerce=int, empty_value=None, required=False
    )
    body = forms.TypedChoiceField(label=_("Body"), coerce=int, empty_value=None, required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    group = forms.TypedChoiceField(
        label=_("Task group"), coerce=int, empty_value=None, required=False
    )
    timing = forms.ChoiceField(
        label=_("Sent on time or late"),
        choices=[("", _("Any")), *Timing.choices],
        required=False,
        help_text=_("Against the period's due date, from the report's first sending."),
    )

    def __init__(self, data=None, *, choices: FilterChoices):
        super().__init__(data)
        self.fields["period"].choices = [("", _("Any period")), *_period_choices(choices.periods)]
        self.fields["body"].choices = [("", _("All bodies"))] + [
            (body.pk, body.display_name) for body in choices.bodies
        ]
        self.fields["state"].choices = [("", _("Any state")), *ReportState.choices]
        self.fields["group"].choices = [("", _("All task groups"))] + [
            (group.pk, f"{group.key} — {group.text[:70]}") for group in choices.groups
        ]

    def filters(self) -> ReportFilters:
        """The filters that are valid; a field in error is left out, its error shown."""
        if self.data:
            self.is_valid()
            data = self.cleaned_data
        else:
            data = {}
        return ReportFilters(
            period_id=data.get("period"),
            body_id=data.get("body"),
            state=data.get("state") or "",
            group_id=data.get("group"),
            timing=data.get("timing") or "",
        )
