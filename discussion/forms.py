"""The message form: the text, what it answers (a return or a finding shown in the thread),
and an optional file. The rules on the text are the service's (message_text_clean), so a
refusal reads the same whichever way a message comes in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EDIT_WINDOW_MINUTES, TEXT_MAX_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        # The service says what is wrong with an empty or too long text; the form keeps it.
        required=False,
        strip=False,
        help_text=_(
            "Plain text, at most %(max)d characters. You may correct a message within "
            "%(minutes)d minutes of sending it; after that it can only be withdrawn."
        )
        % {"max": TEXT_MAX_LENGTH, "minutes": EDIT_WINDOW_MINUTES},
    )
    answers = forms.ChoiceField(label=_("In answer to"), required=False)
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        max_length=255,
        help_text=_("PDF, Word, Excel, OpenDocument, JPEG or PNG."),
    )

    def __init__(self, *args, reports=(), findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reports = {str(r.pk): r for r in reports}
        self.findings = {str(f.pk): f for f in findings}
        self.fields["answers"].choices = [
            ("", _("The assignment in general")),
            *(
                (f"report:{r.pk}", _("The report for %(period)s") % {"period": r.period.name})
                for r in reports
            ),
            *(
                (
                    f"finding:{f.pk}",
                    _("The finding of %(body)s of %(date)s")
                    % {
                        "body": f.supervision.body.display_name,
                        "date": f.recorded_at.strftime("%d/%m/%Y"),
                    },
                )
                for f in findings
            ),
        ]

    def answered(self) -> dict:
        """The report or the finding chosen, as the service's keyword arguments."""
        kind, _sep, pk = (self.cleaned_data.get("answers") or "").partition(":")
        if kind == "report":
            return {"report": self.reports[pk]}
        if kind == "finding":
            return {"finding": self.findings[pk]}
        return {}


class MessageEditForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), required=False, strip=False
    )
