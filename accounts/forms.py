"""Forms of the accounts pages.

Signing in and changing a password use Django's own forms. Django's Vietnamese catalogue lacks
the message of the minimum-length password validator; marking it here puts it in this
project's catalogue, which Django consults first.
"""

from django import forms
from django.utils.translation import ngettext_lazy

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
