"""Forms of the workflow pages. They parse and bound the input (lengths, dates, choices); the
rules of the workflow itself live in the services, whose refusals `add_service_errors` puts back
on the form: next to the field they name, or at the top."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Body
from review.forms import ReturnForm, add_service_errors, error_form

from .models import (
    Assignment,
    CitedDocument,
    DeadlineKind,
    ExtensionRequest,
    Finding,
    ProgressReport,
    ReportingPeriod,
)
from .services.reports import ReportData

__all__ = ["add_service_errors", "error_form"]

# simple-history keeps a change reason in 100 characters; a reason typed for a change that goes
# straight into the history must fit there.
HISTORY_REASON_MAX_LENGTH = 100

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def _label(model, field_name: str) -> str:
    return capfirst(model._meta.get_field(field_name).verbose_name)


def text_field(model, field_name: str, *, required: bool = True, rows: int = 5) -> forms.CharField:
    """A free-text field labelled and limited as the model's field is (the indicators' forms
    use it too)."""
    field = model._meta.get_field(field_name)
    return forms.CharField(
        label=capfirst(field.verbose_name),
        max_length=field.max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def date_field(label, *, required: bool = True) -> forms.DateField:
    """A date typed as year-month-day (the browser's date input) or day/month/year."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Day/month/year, e.g. 31/12/2026."),
    )


class ReportForm(forms.Form):
    result = text_field(ProgressReport, "result", rows=10)
    percent_complete = forms.IntegerField(
        label=_label(ProgressReport, "percent_complete"),
        min_value=0,
        max_value=100,
        help_text=_("A whole number from 0 to 100."),
    )
    difficulties = text_field(ProgressReport, "difficulties", required=False)
    proposals = text_field(ProgressReport, "proposals", required=False)
    claims_completion = forms.BooleanField(
        label=_label(ProgressReport, "claims_completion"),
        required=False,
        help_text=_(
            "Tick only when the whole task is done: the report must then say 100 percent and "
            "cite a document or attach evidence."
        ),
    )

    def report_data(self) -> ReportData:
        data = self.cleaned_data
        return ReportData(
            result=data["result"],
            percent_complete=data["percent_complete"],
            difficulties=data["difficulties"],
            proposals=data["proposals"],
            claims_completion=data["claims_completion"],
        )


class ReportCreateForm(ReportForm):
    period = forms.ModelChoiceField(
        label=_label(ProgressReport, "period"),
        queryset=ReportingPeriod.objects.none(),
        empty_label=None,
    )

    field_order = ["period"]

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class ReportEditForm(ReportForm):
    # The version the form was opened at: a save from a form opened before someone else's
    # save is refused instead of overwriting it.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReportReturnForm(ReturnForm):
    where_seen = _("The body sees this reason at the top of its report.")


class DocumentForm(forms.Form):
    number = forms.CharField(
        label=_label(CitedDocument, "number"),
        max_length=_max_length(CitedDocument, "number"),
        validators=[
            v
            for v in CitedDocument._meta.get_field("number").validators
            if isinstance(v, RegexValidator)
        ],
        help_text=_('As printed, e.g. "123/KH-UBND" or "15-CTr/TU".'),
    )
    issued_on = date_field(_label(CitedDocument, "issued_on"))
    issuer = forms.CharField(
        label=_label(CitedDocument, "issuer"),
        max_length=_max_length(CitedDocument, "issuer"),
    )
    title = forms.CharField(
        label=_label(CitedDocument, "title"),
        max_length=_max_length(CitedDocument, "title"),
        required=False,
    )

    def clean_issued_on(self) -> date:
        issued_on = self.cleaned_data["issued_on"]
        if issued_on > timezone.localdate():
            raise ValidationError(_("A cited document cannot be dated in the future."))
        return issued_on


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        max_length=255,
        allow_empty_file=False,
        help_text=_("PDF, Word, Excel, OpenDocument, JPEG or PNG."),
    )


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(Assignment, "deadline_kind"),
        choices=DeadlineKind.choices,
        widget=forms.RadioSelect,
    )
    deadline = date_field(_label(Assignment, "deadline"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=HISTORY_REASON_MAX_LENGTH,
        help_text=_("Recorded in the assignment's history."),
    )
    # Asked only when the date is already past: shown as a tick box once that is known.
    confirm_past = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        programme = assignment.item.programme
        self.earliest = programme.issued_on or programme.resolution_date
        self.current = (
            assignment.deadline if assignment.deadline_kind == DeadlineKind.FIXED else None
        )

    def clean(self):
        data = super().clean()
        kind, deadline = data.get("kind"), data.get("deadline")
        if kind != DeadlineKind.FIXED:
            # Only a fixed deadline has a date; one typed before switching kind is dropped.
            self.errors.pop("deadline", None)
            data["deadline"] = None
        elif deadline is None:
            if "deadline" not in self.errors:
                self.add_error("deadline", _("A fixed deadline needs a date."))
        elif deadline < self.earliest:
            self.add_error(
                "deadline",
                _("The deadline cannot be before the programme was issued (%(date)s).")
                % {"date": self.earliest.strftime("%d/%m/%Y")},
            )
        elif (
            deadline < timezone.localdate()
            and deadline != self.current
            and not data.get("confirm_past")
        ):
            # Old deadlines are entered too, so a past date is allowed, once confirmed.
            field = self.fields["confirm_past"]
            field.widget = forms.CheckboxInput()
            field.label = _("Yes, set a deadline that has already passed")
            self.add_error(
                "confirm_past",
                _(
                    "%(date)s has already passed: the assignment will be overdue at once, and "
                    "reminders of the overdue work will go out to its body and the Party Office. "
                    "Tick the box to confirm, or correct the date."
                )
                % {"date": deadline.strftime("%d/%m/%Y")},
            )
        return data


# More than every assignment of the programme (474) would be a mistake, not a selection.
MAX_SELECTED = 1000


class SelectionField(forms.Field):
    """The ids of the assignments ticked on the list, carried from page to page."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError):
            raise ValidationError(_("The selection is not a list of assignments.")) from None
        return list(dict.fromkeys(ids))

    def validate(self, value: list[int]) -> None:
        if not value:
            raise ValidationError(_("Select at least one assignment on the list."))
        if len(value) > MAX_SELECTED:
            raise ValidationError(
                _("Select at most %(count)s assignments at once.") % {"count": MAX_SELECTED}
            )


class SelectionForm(forms.Form):
    ids = SelectionField()


class BulkDeadlineForm(DeadlineForm):
    """One deadline for several assignments, by the single form's rules. A past date asks
    for confirmation unless it is already every one's deadline."""

    def __init__(self, *args, assignments: list[Assignment], **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        programmes = {a.item.programme_id: a.item.programme for a in assignments}
        self.earliest = max(
            (p.issued_on or p.resolution_date for p in programmes.values()), default=date.min
        )
        currents = {
            a.deadline if a.deadline_kind == DeadlineKind.FIXED else None for a in assignments
        }
        self.current = currents.pop() if len(currents) == 1 else None


class BulkPeriodForm(forms.Form):
    OPEN = "open"
    CLOSE = "close"

    period = forms.ModelChoiceField(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none(), empty_label=None
    )
    change = forms.ChoiceField(
        label=_("Change"),
        choices=[(OPEN, _("Open the period")), (CLOSE, _("Close the period"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class ExtensionRequestForm(forms.Form):
    proposed_deadline = date_field(_label(ExtensionRequest, "proposed_deadline"))
    reason = text_field(ExtensionRequest, "reason")

    def __init__(self, *args, current_deadline: date | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_deadline = current_deadline

    def clean_proposed_deadline(self) -> date:
        proposed = self.cleaned_data["proposed_deadline"]
        if self.current_deadline is not None and proposed <= self.current_deadline:
            raise ValidationError(
                _("The new deadline must be after %(date)s.")
                % {"date": self.current_deadline.strftime("%d/%m/%Y")}
            )
        return proposed


class ExtensionDecideForm(forms.Form):
    APPROVE = "approve"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve the new deadline")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_label(ExtensionRequest, "decision_note"),
        max_length=_max_length(ExtensionRequest, "decision_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when refusing."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the extension is refused."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class DelegateForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Subordinate body"),
        queryset=Body.objects.none(),
        empty_label=None,
    )
    note = forms.CharField(
        label=_("Part delegated"),
        max_length=_max_length(Assignment, "note"),
        required=False,
        help_text=_("What part of the task the body carries out."),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class FindingForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_label(Finding, "period"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label=_("Not tied to a period"),
    )
    text = text_field(Finding, "text", rows=8)
    recommendation = text_field(Finding, "recommendation", required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
