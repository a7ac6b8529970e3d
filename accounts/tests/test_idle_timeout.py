"""A session left idle longer than SESSION_IDLE_TIMEOUT_MINUTES is signed out, with a message
and an entry in the security log; an active one is not, and writes its session at most once a
minute. The clock is controlled by moving the stored last-activity time back."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.models import SecurityEvent
from conftest import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["db", "cached_db"])
def session_engine(request, settings):
    """The same behaviour with sessions in the database and, as with Redis, in the cache
    backed by the database (with the signed-in user's row from the cache too)."""
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"
    settings.USER_CACHE = request.param == "cached_db"
    return request.param


def idle_for(client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time() - seconds)
    session.save()


def stored_activity(client) -> int:
    return Session.objects.get(session_key=client.session.session_key).get_decoded()[
        LAST_ACTIVITY_KEY
    ]


def test_signing_in_starts_the_idle_clock(client, officer):
    client.force_login(officer)

    assert abs(stored_activity(client) - time.time()) < 5


def test_an_active_session_stays_signed_in(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(officer)
    idle_for(client, 29 * 60)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert abs(stored_activity(client) - time.time()) < 5


def test_an_idle_session_is_signed_out_logged_and_sent_to_sign_in(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(officer)
    idle_for(client, 31 * 60)

    response = client.get(reverse("assignment_list") + "?sort=deadline")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSION_EXPIRED)
    assert (event.user, event.ip_address, event.method) == (officer, "127.0.0.1", "GET")
    assert event.path == "/assignments/?sort=deadline"
    assert "30 minutes" in event.detail
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGNED_OUT, user=officer).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    with translation.override("vi"):
        said = gettext(
            "You were signed out after %(minutes)d minutes without activity. Please sign in again."
        ) % {"minutes": 30}
    assert said in page_text(page)


def test_a_form_sent_after_the_timeout_is_not_carried_out(client, leader, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 10
    client.force_login(leader)
    idle_for(client, 11 * 60)

    response = client.post(reverse("notification_read_all"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=%2Fnotifications" not in response["Location"]


def test_the_timeout_is_configurable(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(officer)
    idle_for(client, 6 * 60)

    assert client.get(reverse("home")).status_code == 302


def test_most_requests_write_nothing_to_the_session(client, officer):
    client.force_login(officer)
    idle_for(client, 10)
    before = stored_activity(client)

    client.get(reverse("home"))

    assert stored_activity(client) == before


def test_a_session_without_a_stamp_gets_one_and_is_not_signed_out(client, officer):
    client.force_login(officer)
    session = client.session
    del session[LAST_ACTIVITY_KEY]
    session.save()

    assert client.get(reverse("home")).status_code == 200
    assert abs(stored_activity(client) - time.time()) < 5
