from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=capfirst(ApiToken._meta.get_field("name").verbose_name),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=ApiToken._meta.get_field("name").help_text,
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        help_text=ApiToken._meta.get_field("read_only").help_text,
    )
