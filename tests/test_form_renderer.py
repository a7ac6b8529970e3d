"""The project's form renderer writes selects in Python; what it writes must be exactly what
Django's own templates write, for every kind of select the forms use."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from config.forms import FormRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("1", "Một"), ("2", "Hai & <b>ba</b>")])
    grouped = forms.ChoiceField(
        choices=[("Nhóm <1>", [("a", "A"), ("b", 'B "quoted"')]), ("c", "C")],
        widget=forms.Select(attrs={"aria-describedby": "x-help", "data-x": '"><script>'}),
    )
    many = forms.MultipleChoiceField(choices=[(str(n), f"Lựa chọn {n}") for n in range(300)])
    yes_no = forms.NullBooleanField()
    typed = forms.TypedChoiceField(choices=[(1, "Một"), (2, "Hai")], coerce=int, required=False)


@pytest.mark.parametrize("name", ["plain", "grouped", "many", "yes_no", "typed"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "2", "grouped": "b", "many": ["0", "7", "299"], "yes_no": "true", "typed": "2"},
    ],
)
def test_it_writes_the_same_select_as_djangos_templates(name, data):
    ours = Choices(data, renderer=FormRenderer())[name]
    djangos = Choices(data, renderer=DjangoTemplates())[name]

    assert str(ours) == str(djangos)
    assert str(ours).startswith("<select")


def test_it_escapes_what_it_writes():
    markup = str(Choices(renderer=FormRenderer())["grouped"])

    assert 'label="Nhóm &lt;1&gt;"' in markup
    assert 'data-x="&quot;&gt;&lt;script&gt;"' in markup
    assert "<script>" not in markup


def test_it_is_the_renderer_the_forms_use(settings):
    assert settings.FORM_RENDERER == "config.forms.FormRenderer"
    assert isinstance(forms.Form().renderer or forms.renderers.get_default_renderer(), FormRenderer)
