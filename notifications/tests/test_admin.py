"""The reminder policy and the delivery log in the admin, for administrators."""

from datetime import timedelta

import pytest
from django.urls import reverse

from notifications.models import EmailDelivery, Reminder, ReminderStep
from notifications.services import reminders_sweep

from .test_sweep import DEADLINE, at


@pytest.fixture
def admin_client(client, administrator):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    return client


def test_an_administrator_changes_the_policy_and_history_keeps_it(admin_client):
    step = ReminderStep.objects.get(code="7-ngay-truoc")
    url = reverse("admin:notifications_reminderstep_change", args=[step.pk])
    form = {
        "code": step.code,
        "name": "Nhắc trước hạn 10 ngày",
        "name_en": "10 days before the deadline",
        "days_from_deadline": -10,
        "repeat_every_days": "",
        "audience": "responsible",
        "is_active": "on",
    }
    assert admin_client.post(url, form).status_code == 302
    step.refresh_from_db()
    assert step.days_from_deadline == -10
    assert step.history.latest().history_user is not None

    # A repeat before the deadline is refused by the database's rule, shown as a form error.
    form.update(days_from_deadline=-3, repeat_every_days=2)
    response = admin_client.post(url, form)
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.days_from_deadline == -10


def test_the_delivery_log_shows_each_reminder_and_its_email(admin_client, reference_data):
    from .test_sweep import World

    world = World()
    world.close_period()
    reminders_sweep(now=at(DEADLINE - timedelta(days=1)))
    reminder = Reminder.objects.get(recipient=world.officer)
    page = admin_client.get(reverse("admin:notifications_reminder_changelist")).content.decode()
    assert "Nhắc trước hạn 1 ngày" in page
    assert "Đã gửi" in page
    delivery = EmailDelivery.objects.get(recipient=world.officer)
    assert reminder.email == delivery
    page = admin_client.get(
        reverse("admin:notifications_emaildelivery_changelist") + "?state__exact=sent"
    ).content.decode()
    assert world.officer.email in page
