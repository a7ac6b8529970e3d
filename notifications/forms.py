"""The notice settings form: for each kind of event, at once or in the daily digest."""

from django import forms

from .models import NOTICE_DEFAULTS, NoticeDelivery, NoticeEvent


class NoticePreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for event in NoticeEvent:
            self.fields[event.value] = forms.ChoiceField(
                label=event.label,
                choices=NoticeDelivery.choices,
                initial=current.get(event.value, NOTICE_DEFAULTS[event]),
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[str, str]:
        return {event.value: self.cleaned_data[event.value] for event in NoticeEvent}
