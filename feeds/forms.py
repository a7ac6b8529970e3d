from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Body


class FeedFilterForm(forms.Form):
    """The feed's query string: `?body=<code>` narrows it to one body."""

    body = forms.ModelChoiceField(
        queryset=Body.objects.all(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("No body has this code.")},
    )
