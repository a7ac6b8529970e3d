"""The header (name, bodies and roles, bell, menu) is cached per person: what changes it shows
on the very next page, no two people share one, and its forms keep a working CSRF token."""

import re

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import Body, Membership, User
from accounts.services import membership_end
from notifications.tests.test_bell import assignment, remind  # noqa: F401  (a fixture)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def header(client, url=None) -> str:
    html = client.get(url or reverse("programme_list")).content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_cached_header_is_the_rendered_one_but_for_the_token(client, officer):
    client.force_login(officer)
    cold = client.get(reverse("programme_list")).content.decode()
    warm = client.get(reverse("programme_list")).content.decode()
    assert CSRF.sub("", cold) == CSRF.sub("", warm)
    assert CSRF.findall(cold) != CSRF.findall(warm)  # a fresh token on each page
    cache.clear()
    assert CSRF.sub("", client.get(reverse("programme_list")).content.decode()) == CSRF.sub(
        "", warm
    )


def test_the_token_in_a_cached_header_signs_out(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    client.get(reverse("programme_list"))
    html = client.get(reverse("programme_list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("programme_list")).status_code == 302  # signed out


def test_a_revoked_membership_leaves_the_header_on_the_next_page(client, cast):
    officer = cast["officer"]
    client.force_login(officer)
    body = Body.objects.get(code="thanh-uy-nha-trang")
    assert body.display_name in header(client)
    membership_end(
        membership=Membership.objects.get(user=officer, body=body),
        acting_user=cast["administrator"],
        reason="chuyển công tác",
    )
    assert body.display_name not in header(client)
    # The menu follows: no more "My work" for someone with no body.
    assert reverse("agency_home") not in header(client)


def test_the_bell_counts_on_the_next_page(client, officer, assignment):  # noqa: F811
    client.force_login(officer)
    assert 'data-unread="0"' in header(client)
    remind(officer, assignment)
    assert 'data-unread="1"' in header(client)


def test_a_new_name_shows_on_the_next_page(client, officer):
    client.force_login(officer)
    header(client)
    officer.full_name = "Tên Mới Đổi"
    officer.save()
    assert "Tên Mới Đổi" in header(client)


def test_two_people_never_share_a_header(client, officer, other_officer):
    # The same versions: only the person in the key tells the entries apart.
    User.objects.filter(pk__in=[officer.pk, other_officer.pk]).update(
        access_version=3, notice_version=3
    )
    client.force_login(officer)
    mine = header(client)
    client.force_login(other_officer)
    theirs = header(client)
    assert other_officer.display_name in theirs and officer.display_name not in theirs
    assert mine != theirs


def test_the_current_page_is_marked_on_each_page(client, officer):
    client.force_login(officer)
    marked = f'href="{reverse("body_list")}" aria-current="page"'
    assert marked not in header(client)
    assert marked in header(client, reverse("body_list"))
    assert marked not in header(client)


def test_the_language_form_returns_to_the_page_with_its_query(client, officer):
    client.force_login(officer)
    plain = header(client, reverse("body_list"))
    with_query = header(client, reverse("body_list") + "?q=nha")
    assert f'name="next" value="{reverse("body_list")}"' in plain
    assert f'name="next" value="{reverse("body_list")}?q=nha"' in with_query


def test_a_sign_in_drops_no_cached_page(client, officer):
    """Signing in stamps last_login; no page shows it, so the data version stays."""
    from versions.data import data_version

    before = data_version()
    client.force_login(officer)
    assert data_version() == before
    officer.full_name = "Tên hiển thị mới"
    officer.save()
    assert data_version() > before
