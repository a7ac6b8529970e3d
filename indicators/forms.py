"""The forms of the indicator pages: they parse input; the services decide."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from review.forms import ReturnForm
from tasks.forms import date_field, text_field

from .models import ExplanationRequest, YearlyFigure
from .services import FigureData


def _label(field_name: str) -> str:
    return capfirst(YearlyFigure._meta.get_field(field_name).verbose_name)


class FigureForm(forms.Form):
    year = forms.IntegerField(label=_label("year"), min_value=1990, max_value=2100)
    value = forms.DecimalField(
        label=_label("value"),
        max_digits=14,
        decimal_places=3,
        localize=True,
        help_text=_("In the indicator's unit, shown beside the field."),
    )
    source = forms.CharField(
        label=_label("source"),
        max_length=255,
        help_text=YearlyFigure._meta.get_field("source").help_text,
    )
    note = text_field(YearlyFigure, "note", required=False, rows=4)

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if unit:
            self.fields["value"].help_text = _("In %(unit)s.") % {"unit": unit}

    def figure_data(self) -> FigureData:
        data = self.cleaned_data
        return FigureData(
            year=data["year"], value=data["value"], source=data["source"], note=data["note"]
        )


class FigureEditForm(FigureForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class FigureReturnForm(ReturnForm):
    where_seen = _("The body sees this reason at the top of its figure.")


class ExplanationRequestForm(forms.Form):
    question = text_field(ExplanationRequest, "question", rows=6)
    due_on = date_field(capfirst(ExplanationRequest._meta.get_field("due_on").verbose_name))


class ExplanationAnswerForm(forms.Form):
    answer = text_field(ExplanationRequest, "answer", rows=8)


class ExplanationCloseForm(forms.Form):
    note = text_field(ExplanationRequest, "closing_note", required=False, rows=3)
