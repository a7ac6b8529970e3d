"""The rows of a long table link to their pages through paths reversed once per page name
(tasks.dashboards.base.detail_path): the same paths as reversing each."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from tasks.dashboards.base import detail_path

NAMES = ["assignment_detail", "report_detail", "period_detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 9, 987654321, 10_000_000_001])
def test_it_writes_the_path_reverse_writes(name, pk):
    assert detail_path(name, pk) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/theo-doi/")
        assert detail_path("assignment_detail", 7) == reverse("assignment_detail", args=[7])
        assert detail_path("assignment_detail", 7).startswith("/theo-doi/")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("name", NAMES)
def test_the_filter_writes_what_the_url_tag_writes(name):
    context = Context({"pk": 42})
    by_tag = Template(f"{{% url '{name}' pk %}}").render(context)
    source = f'{{% load dashboard_tags %}}{{{{ pk|path_of:"{name}" }}}}'
    by_filter = Template(source).render(context)
    assert by_filter == by_tag
