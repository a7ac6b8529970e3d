"""The API's pages for people: the token page (made, shown once, revoked; linked from the user
menu) and the documentation, both under the site's Content Security Policy, loading nothing
but the project's own static files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from accounts.models import SecurityEvent
from api.models import ApiToken
from api.services import ACTIVE_TOKENS_MAX
from tests.test_no_inline_code import EVENT_HANDLER, INLINE_SCRIPT, INLINE_STYLE, JAVASCRIPT_URL

from .support import token_client

pytestmark = pytest.mark.django_db


def assert_no_inline_code(markup: str) -> None:
    for scanner in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL):
        assert scanner.findall(markup) == [], scanner.pattern


def test_a_person_makes_a_token_sees_it_once_and_revokes_it(client, officer, text_of):
    client.force_login(officer)

    made = client.post(reverse("api:tokens"), {"name": "Hệ thống iOffice", "read_only": "on"})
    secret = re.search(r"data-token>(nq23_[^<]+)<", made.content.decode()).group(1)
    again = client.get(reverse("api:tokens"))

    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    assert "chỉ hiện một lần" in text_of(made)
    assert secret not in again.content.decode(), "a token is shown once only"
    token = ApiToken.objects.get(user=officer)
    assert token.read_only and token.name == "Hệ thống iOffice"
    assert token_client(secret).get(reverse("api:period-list")).status_code == 200

    revoked = client.post(reverse("api:token_revoke", kwargs={"pk": token.pk}))

    assert revoked.status_code == 302
    assert token_client(secret).get(reverse("api:period-list")).status_code == 401
    assert list(
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.API_TOKEN, user=officer)
        .order_by("pk")
        .values_list("detail", flat=True)
    ) == [
        f"made token #{token.pk} “Hệ thống iOffice” ({token.prefix}…), read only",
        f"revoked token #{token.pk} “Hệ thống iOffice” ({token.prefix}…)",
    ]


def test_a_token_needs_a_name_and_one_person_holds_a_few(client, officer, text_of):
    client.force_login(officer)

    unnamed = client.post(reverse("api:tokens"), {"name": "  \x00 "})
    for n in range(ACTIVE_TOKENS_MAX):
        client.post(reverse("api:tokens"), {"name": f"Hệ thống {n}"})
    one_too_many = client.post(reverse("api:tokens"), {"name": "Thêm nữa"})

    assert unnamed.status_code == one_too_many.status_code == 400
    assert ApiToken.objects.filter(user=officer).count() == ACTIVE_TOKENS_MAX
    assert "thu hồi" in text_of(one_too_many)


def test_the_token_page_is_in_the_user_menu_and_carries_no_inline_code(client, officer):
    client.force_login(officer)
    client.post(reverse("api:tokens"), {"name": "Hệ thống iOffice"})

    page = client.get(reverse("api:tokens")).content.decode()
    home = client.get(reverse("programme_list")).content.decode()

    assert f'href="{reverse("api:tokens")}"' in home
    assert 'aria-current="page">Mã truy cập API</a>' in page
    assert_no_inline_code(page)
    assert "thông tin không mật" in page  # the free-text form warns against state secrets


def test_the_documentation_loads_only_the_projects_own_files(client, officer):
    client.force_login(officer)

    page = client.get(reverse("api:docs"))
    markup = page.content.decode()
    script = client.get(reverse("api:docs") + "?script=")

    assert page.status_code == 200
    assert_no_inline_code(markup)
    assets = re.findall(r'(?:src|href)="([^"]+)"', markup)
    assert len(assets) >= 4
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not the project's own"
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()
    # The page carries the site's policy: scripts from its own origin only.
    assert "script-src 'self'" in page["Content-Security-Policy"]
