"""Sign-in is protected against guessing, and security events are logged apart from history."""

import pytest
from django.test import override_settings

from accounts.models import SecurityEvent, User

PASSWORD = "Dung-mat-khau-2026"


@pytest.fixture
def person(db):
    return User.objects.create_user("nguoidung", password=PASSWORD, full_name="Người Dùng")


def sign_in(client, password):
    return client.post("/accounts/login/", {"username": "nguoidung", "password": password})


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_it_locks_the_account_after_five_failures_with_a_clear_message(client, person):
    for _attempt in range(5):
        response = sign_in(client, "sai-mat-khau")
    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Tài khoản đã bị khóa" in page
    assert "30 phút" in page
    assert "_auth_user_id" not in client.session
    kinds = list(SecurityEvent.objects.order_by("at", "id").values_list("kind", flat=True))
    # Five wrong passwords, then the right one refused while locked: six failed sign-ins.
    assert kinds.count(SecurityEvent.Kind.SIGN_IN_FAILED) == 6
    assert kinds.count(SecurityEvent.Kind.LOCKED_OUT) >= 1
    assert SecurityEvent.Kind.SIGNED_IN not in kinds


@override_settings(AXES_ENABLED=True)
def test_it_logs_who_signed_in_and_from_where(client, person):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGNED_IN)
    assert (event.user, event.username, event.ip_address) == (person, "nguoidung", "127.0.0.1")
    assert event.at is not None
    # The security log is not the data change history: signing in adds no history row.
    assert person.history.count() == 1


def test_passwords_follow_djangos_validators(client, person):
    client.force_login(person)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
