"""The security log: sign-in, failed sign-in, lockout, refusal and download each leave an entry
saying who, what, when and from where; the administrator reads it with times in UTC and
their offset, and nobody, not even a superuser, adds, changes or deletes an entry from the
product."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.sites import site
from django.test import override_settings
from django.urls import reverse

from accounts.models import SecurityEvent, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("sieuquantri", password="Sieu-quan-tri-2026")


@pytest.fixture
def event(db):
    return SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.DOWNLOAD,
        at=datetime(2026, 11, 28, 6, 40, tzinfo=UTC),
        username="canbo.nhatrang",
        ip_address="10.0.0.7",
        method="GET",
        path="/attachments/1/",
        detail="attachment #1",
    )


def test_the_admin_shows_when_in_utc_with_the_offset(client, superuser, event):
    client.force_login(superuser)

    page = client.get(reverse("admin:accounts_securityevent_changelist")).content.decode()

    assert "2026-11-28T06:40:00+00:00" in page
    assert "10.0.0.7" in page


def test_the_log_is_append_only_even_for_a_superuser(client, superuser, event):
    client.force_login(superuser)
    admin = site._registry[SecurityEvent]
    request = client.get("/").wsgi_request
    request.user = superuser

    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, event)
    assert not admin.has_delete_permission(request, event)
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    detail = reverse("admin:accounts_securityevent_change", args=[event.pk])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"detail": "đã sửa"}).status_code == 403
    delete = reverse("admin:accounts_securityevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:accounts_securityevent_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.detail == "attachment #1"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2)
def test_failures_and_the_lockout_say_who_and_from_where(client, superuser):
    for _ in range(2):
        client.post(
            reverse("login"),
            {"username": "sieuquantri", "password": "sai"},
            REMOTE_ADDR="203.0.113.9",
        )

    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    locked = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKED_OUT)
    assert failed.count() == 2
    assert {(e.username, e.ip_address, e.method) for e in failed} == {
        ("sieuquantri", "203.0.113.9", "POST")
    }
    assert (locked.username, locked.ip_address) == ("sieuquantri", "203.0.113.9")
    assert locked.at is not None


def test_a_refusal_is_logged_with_the_user_and_the_path(client, officer):
    client.force_login(officer)

    response = client.get(reverse("compliance_overview"))

    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.REFUSED)
    assert (event.user, event.path, event.ip_address) == (officer, "/compliance/", "127.0.0.1")
