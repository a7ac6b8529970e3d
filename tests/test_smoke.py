"""Every page renders for a signed-in user, with a main heading and the page's language."""

import re
from importlib import import_module

import pytest
from django.urls import reverse

# Every page of the accounts and programme URLconfs and the body pages, by URL name, with the
# arguments it needs. The tracking pages of tasks/urls.py need reports and periods to exist;
# add them here with the data they need.
PAGES = {
    "home": [],
    "programme_list": [],
    "programme_detail": ["nq23"],
    "item_detail": ["nq23", "III.1.b1.s1"],
    "body_list": [],
    "body_detail": ["thanh-uy-nha-trang"],
    "search": [],
    "login": [],
    "password_change": [],
    "password_change_done": [],
}
# Not pages: they only act on a POST.
ACTIONS = {"logout"}


def assert_is_a_page(response, language: str = "vi") -> None:
    markup = response.content.decode()
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert f'<html lang="{language}">' in markup
    assert len(re.findall(r"<h1[ >]", markup)) == 1, response.request["PATH_INFO"]
    assert "thông tin không mật" in markup or language != "vi"


def test_the_smoke_test_knows_every_page():
    names = {
        pattern.name
        for module in ("accounts.urls", "programme.urls")
        for pattern in import_module(module).urlpatterns
    }
    routed = {pattern.name for pattern in import_module("tasks.urls").urlpatterns}

    assert names <= set(PAGES) | ACTIONS
    assert set(PAGES) | ACTIONS <= names | routed


@pytest.mark.parametrize(("name", "args"), PAGES.items())
def test_it_renders_the_page(signed_in_client, name, args):
    assert_is_a_page(signed_in_client.get(reverse(name, args=args)))


@pytest.mark.parametrize(("name", "args"), PAGES.items())
def test_it_renders_the_page_in_english(signed_in_client, name, args):
    signed_in_client.post(reverse("set_language"), {"language": "en"})

    assert_is_a_page(signed_in_client.get(reverse(name, args=args)), language="en")


def test_it_renders_search_results(signed_in_client):
    assert_is_a_page(signed_in_client.get(reverse("search"), {"q": "công nghiệp"}))


def test_it_renders_every_item_and_every_body(signed_in_client):
    from accounts.models import Body
    from programme.models import Item

    for programme_code, key in Item.objects.values_list("programme__code", "key"):
        assert_is_a_page(signed_in_client.get(reverse("item_detail", args=[programme_code, key])))
    for code in Body.objects.values_list("code", flat=True):
        assert_is_a_page(signed_in_client.get(reverse("body_detail", args=[code])))


def test_it_renders_the_sign_in_page_for_an_anonymous_visitor(client, db):
    assert_is_a_page(client.get(reverse("login")))


def test_it_answers_an_unknown_address_with_its_own_404_page(signed_in_client):
    response = signed_in_client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    markup = response.content.decode()
    assert '<html lang="vi">' in markup
    assert "<h1>Không tìm thấy trang</h1>" in markup


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    markup = render_to_string("500.html")

    assert '<html lang="vi">' in markup
    assert "<h1>Lỗi hệ thống</h1>" in markup
