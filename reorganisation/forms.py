from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .plan import PlanRefused, plan_read


def plan_files() -> list[Path]:
    """The plan files shipped with the project (fixtures/reorganisations/)."""
    return sorted((Path(settings.FIXTURES_DIR) / "reorganisations").glob("*.json"))


class PlanForm(forms.Form):
    """A plan: one of the shipped files, an uploaded one, or (on the confirmation page) the
    text the trial run read, so what is applied is what was shown."""

    shipped = forms.ChoiceField(label=_("A plan shipped with the product"), required=False)
    upload = forms.FileField(label=_("Or a plan file (JSON)"), required=False)
    text = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipped"].choices = [("", "—")] + [(p.name, p.name) for p in plan_files()]

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        if not text and data.get("upload"):
            raw = data["upload"].read(2_000_000)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The plan file is not UTF-8 text.")) from None
        if not text and data.get("shipped"):
            path = next(p for p in plan_files() if p.name == data["shipped"])
            text = path.read_text(encoding="utf-8")
        if not text:
            raise forms.ValidationError(_("Choose a plan or upload one."))
        try:
            data["plan"] = plan_read(text)
        except PlanRefused as refused:
            raise forms.ValidationError(refused.faults) from refused
        data["text"] = text
        return data
