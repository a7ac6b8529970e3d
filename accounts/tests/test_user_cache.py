"""With a shared cache (USER_CACHE, as with Redis), the session and the signed-in user come
from the cache, and every change of the user still shows on their next request."""

import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def user_cache(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.USER_CACHE = True


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, officer):
    client.force_login(officer)
    assert client.get(reverse("programme_list")).status_code == 200
    assert client.get(reverse("programme_list")).status_code == 200  # the user from the cache

    officer.is_active = False
    officer._change_reason = "nghỉ hưu"
    officer.save()

    assert client.get(reverse("programme_list")).status_code == 302


def test_a_changed_password_signs_the_session_out(client, officer):
    client.force_login(officer)
    assert client.get(reverse("programme_list")).status_code == 200

    officer.set_password("Khanhhoa@2026-moi")
    officer.save()

    assert client.get(reverse("programme_list")).status_code == 302


def test_a_renamed_user_sees_the_new_name_and_others_keep_theirs(client, officer, other_officer):
    client.force_login(officer)
    client.get(reverse("programme_list"))
    officer.full_name = "Nguyễn Thị Lan Anh"
    officer._change_reason = "sửa tên"
    officer.save()

    assert "Nguyễn Thị Lan Anh" in client.get(reverse("programme_list")).content.decode()
    client.force_login(other_officer)
    page = client.get(reverse("programme_list")).content.decode()
    assert "Trần Văn Minh" in page
    assert "Nguyễn Thị Lan Anh" not in page


def test_signing_out_ends_the_cached_session(client, officer):
    client.force_login(officer)
    client.get(reverse("programme_list"))
    client.post(reverse("logout"))

    assert client.get(reverse("programme_list")).status_code == 302
