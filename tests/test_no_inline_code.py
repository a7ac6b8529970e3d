"""Under the Content Security Policy no inline script or style may run, so no page carries
any; and every page where people type free text warns them that state secrets do not belong
here. Both are checked on every page of the smoke test, over its world."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.test_smoke import PAGES, sign_in, world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
# A form someone types free text into: a textarea, or a text input outside the search box.
FREE_TEXT = re.compile(
    r"<textarea\b|<input\b(?![^>]*\btype=\"(?:hidden|search|password|checkbox|radio|date|"
    r"number|file|submit)\")[^>]*>",
    re.IGNORECASE,
)
NOT_FREE_TEXT_FORMS = {"login", "password_change"}


def _visits():
    for name, entries in PAGES.items():
        for index, visit in enumerate(entries):
            yield pytest.param(name, visit, id=f"{name}-{index}-{visit.role}")


def fetch(client, world, name, visit):  # noqa: F811
    sign_in(client, world, visit.role, "vi")
    url = reverse(name, kwargs=visit.kwargs(world) if visit.kwargs else None)
    response = client.get(url, visit.query(world) if visit.query else {})
    assert response.status_code == 200, url
    return response.content.decode()


VISITS = list(_visits())


def main_content(markup: str) -> str:
    """The page without the header, whose search box is on every page."""
    return markup.split('<main id="main"', 1)[1]


@pytest.mark.parametrize(("name", "visit"), VISITS)
def test_no_page_carries_inline_script_or_style(world, client, name, visit):  # noqa: F811
    markup = fetch(client, world, name, visit)

    assert INLINE_SCRIPT.findall(markup) == []
    assert INLINE_STYLE.findall(markup) == []
    assert EVENT_HANDLER.findall(markup) == []
    assert JAVASCRIPT_URL.findall(markup) == []


@pytest.mark.parametrize(("name", "visit"), VISITS)
def test_every_free_text_form_warns_against_state_secrets(world, client, name, visit):  # noqa: F811
    markup = fetch(client, world, name, visit)
    with translation.override("vi"):
        notice = render_to_string("tasks/includes/workflow_unclassified_notice.html").strip()

    forms = re.findall(r"<form\b[^>]*method=\"post\".*?</form>", main_content(markup), re.DOTALL)
    for form in forms:
        if FREE_TEXT.search(form) and name not in NOT_FREE_TEXT_FORMS:
            assert notice in form, f"{name}: a free-text form without the notice:\n{form[:400]}"


def test_the_scanners_catch_what_they_look_for():
    markup = (
        '<p style="color:red">x</p><style>p{}</style><script>alert(1)</script>'
        '<script src="/static/a.js"></script><a href="javascript:x()" onclick="y()">z</a>'
    )

    assert len(INLINE_STYLE.findall(markup)) == 2
    assert len(INLINE_SCRIPT.findall(markup)) == 1
    assert len(EVENT_HANDLER.findall(markup)) == 1
    assert len(JAVASCRIPT_URL.findall(markup)) == 1
    assert FREE_TEXT.search('<input type="text" name="number">')
    assert not FREE_TEXT.search('<input type="hidden" name="version">')
