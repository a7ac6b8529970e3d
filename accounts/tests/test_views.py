"""Signing in and out, and the header."""

import re
from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.database

# Every page but sign-in, with the arguments it needs.
PAGES = [
    ("home", []),
    ("programme_detail", ["nq23"]),
    ("item_detail", ["nq23", "III.3.b2"]),
    ("body_list", []),
    ("body_detail", ["so-cong-thuong"]),
    ("search", []),
    ("password_change", []),
    ("password_change_done", []),
]


# Signing in and out


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_sends_an_anonymous_visitor_to_sign_in(client, db, name, args):
    url = reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_says_what_the_system_is_on_the_sign_in_page(client, db, text_of):
    response = client.get(reverse("login"))

    page = text_of(response)
    assert '<html lang="vi">' in response.content.decode()
    assert "<h1>Đăng nhập</h1>" in response.content.decode()
    assert "Hệ thống theo dõi việc các cơ quan Đảng, chính quyền tỉnh Khánh Hòa" in page
    assert "Nghị quyết số 23-NQ/TW" in page
    assert "Hệ thống chỉ chứa thông tin không mật; không nhập nội dung thuộc bí mật nhà nước." in (
        page
    )
    assert "Tên đăng nhập" in page and "Mật khẩu" in page


def test_it_signs_in_a_demo_style_user_and_shows_who_they_are(client, officer, password, text_of):
    response = client.post(
        reverse("login"), {"username": officer.username, "password": password}, follow=True
    )

    assert response.redirect_chain == [(reverse("home"), 302)]
    page = text_of(response)
    assert "Nguyễn Thị Lan" in page
    assert "Cán bộ theo dõi · Thành ủy Nha Trang" in page
    assert "Đăng xuất" in page


def test_it_refuses_a_wrong_password(client, officer, text_of):
    response = client.post(reverse("login"), {"username": officer.username, "password": "sai"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác" in text_of(response)


def test_it_returns_to_the_page_asked_for_after_signing_in(client, officer, password):
    wanted = reverse("body_list")

    response = client.post(
        f"{reverse('login')}?next={wanted}",
        {"username": officer.username, "password": password, "next": wanted},
    )

    assert response["Location"] == wanted


def test_it_signs_out_only_by_post(signed_in_client):
    assert signed_in_client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in signed_in_client.session

    response = signed_in_client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in signed_in_client.session


def test_the_sign_out_button_is_a_post_form_in_the_header(signed_in_client):
    markup = signed_in_client.get(reverse("programme_list")).content.decode()

    form = re.search(r'<form method="post" action="/accounts/logout/".*?</form>', markup, re.S)
    assert form and "csrfmiddlewaretoken" in form.group(0) and "Đăng xuất" in form.group(0)


def test_it_changes_the_password(signed_in_client, officer, password, text_of):
    response = signed_in_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "Đã đổi mật khẩu" in text_of(response)
    officer.refresh_from_db()
    assert officer.check_password("Mat-khau-moi-2026!")


def test_it_shows_the_form_errors_when_the_old_password_is_wrong(signed_in_client, text_of):
    response = signed_in_client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "x", "new_password2": "y"},
    )

    assert response.status_code == 200
    assert "Mật khẩu cũ" in text_of(response)
    assert 'class="field field--error"' in response.content.decode()


# Header


def test_it_shows_only_current_memberships_in_the_header(signed_in_client, officer, text_of):
    from accounts.models import Body, Membership, Role

    Membership.objects.create(
        user=officer,
        body=Body.objects.get(code="so-cong-thuong"),
        role=Role.objects.get(code="officer"),
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )

    page = text_of(signed_in_client.get(reverse("programme_list")))

    assert "Cán bộ theo dõi · Thành ủy Nha Trang" in page
    assert "Sở Công Thương" not in page


def test_it_offers_navigation_search_and_the_language_switch(signed_in_client):
    markup = signed_in_client.get(reverse("programme_list")).content.decode()

    assert "Theo dõi thực hiện Chương trình hành động NQ 23-NQ/TW" in markup
    assert '<a class="skip-link" href="#main">' in markup
    for label in ("Chương trình", "Cơ quan", "Tìm kiếm"):
        assert f">{label}</a>" in markup
    assert '<label for="header-search-q"' in markup
    assert f'action="{reverse("set_language")}"' in markup
    assert 'value="vi" lang="vi"' in markup and ">Tiếng Việt</button>" in markup
    assert 'value="en" lang="en"' in markup and ">English</button>" in markup
    assert "Hệ thống chỉ chứa thông tin không mật" in markup


def test_it_explains_a_too_short_new_password_in_vietnamese(signed_in_client, password, text_of):
    response = signed_in_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Ab1!", "new_password2": "Ab1!"},
    )

    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự." in text_of(response)


def test_it_switches_the_sign_in_page_to_english_before_signing_in(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in page
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
