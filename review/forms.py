"""Forms of the review workflow, and how a service's refusal is put on a form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Reviewable


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: messages naming one of the form's fields go
    next to it, the rest to the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(field, errors)
    else:
        form.add_error(None, error.error_list)


def error_form(error: ValidationError) -> forms.Form:
    """A form without fields carrying a service's refusal, for a step taken with a bare button
    (submit, accept): every message goes to the top."""
    form = forms.Form(data={})
    form.is_valid()
    add_service_errors(form, error)
    return form


class ReturnForm(forms.Form):
    """The reviewer's reason for returning a row; each kind says where the body will see it."""

    reason = forms.CharField(
        label=_("Reason for return"),
        max_length=Reviewable._meta.get_field("return_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    where_seen = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = self.where_seen
