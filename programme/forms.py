from django import forms
from django.utils.translation import gettext_lazy as _

SEARCH_MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the programme texts"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.SearchInput(),
        help_text=_("Words may be typed with or without diacritics."),
        error_messages={
            "max_length": _(
                "Enter at most %(limit_value)d characters; the search has %(show_value)d."
            ),
        },
    )
