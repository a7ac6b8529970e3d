from django import forms
from django.utils.translation import gettext_lazy as _

from programme.text import nfc

SEARCH_MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the programme, bodies, reports and findings"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.SearchInput(),
        help_text=_(
            "Words may be typed with or without diacritics; a cited document by its number,"
            " e.g. 45-KH/TU."
        ),
        error_messages={
            "max_length": _(
                "Enter at most %(limit_value)d characters; the search has %(show_value)d."
            ),
        },
    )

    def clean_q(self) -> str:
        # Typed text may come decomposed (NFD); the stored text is NFC.
        return nfc(self.cleaned_data["q"])
