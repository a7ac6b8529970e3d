"""Forms of the accounts pages.

Signing in and changing a password use Django's own forms. Django's Vietnamese catalogue lacks
the message of the minimum-length password validator; marking it here puts it in this
project's catalogue, which Django consults first.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import SecurityEvent

MESSAGES_MISSING_FROM_DJANGOS_VIETNAMESE_CATALOGUE = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
)


class LockoutLiftForm(forms.Form):
    """Which lockout to lift: the hidden fields of a row of the lockout list."""

    ip_address = forms.GenericIPAddressField()
    username = forms.CharField(required=False, strip=False, max_length=255)
    by_address = forms.BooleanField(required=False)


class SecurityEventFilterForm(forms.Form):
    """The security log's filters (a GET form: it changes nothing)."""

    kind = forms.ChoiceField(label=_("Event"), required=False)
    username = forms.CharField(label=_("User name contains"), max_length=150, required=False)
    since = forms.DateField(
        label=_("From the day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To the day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["kind"].choices = [("", _("Every event")), *SecurityEvent.Kind.choices]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end comes before the start."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters; a field in error is left out, its error shown."""
        if not self.data:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
