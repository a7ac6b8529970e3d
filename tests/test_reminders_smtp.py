"""Reminder emails through a real SMTP server on localhost (aiosmtpd, started by each test):
what arrives, for whom, in which language and parts; and what happens when the server is down:
the email is kept, retried with growing delays, shown to administrators in the admin, given up
in the end, and sent again when an administrator asks.

The sweep runs on 9 March 2026; Thành ủy Nha Trang's two tasks are due the next day.
"""

import re
import unicodedata
from datetime import date, timedelta
from email.utils import parseaddr

import pytest
from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation

from conftest import page_text
from notifications import services
from notifications.models import EmailDelivery, EmailState, Reminder
from tasks.services.common import tracked_save
from tests.reminders_support import (
    EMAILS,
    NOW,
    MailSink,
    fixed_deadline,
    free_port,
    member,
    point_mail_at,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

TOMORROW = date(2026, 3, 10)
# Letters only Vietnamese uses among Latin scripts: a subject that has one is Vietnamese.
VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


@pytest.fixture
def sink():
    server = MailSink().start()
    yield server
    server.stop()


@pytest.fixture
def administrator_client(client, administrator):
    """An administrator of the Party Office, signed in to the admin."""
    administrator.is_staff = True
    tracked_save(administrator, acting_user=None, reason="test")
    client.force_login(administrator)
    return client


@pytest.fixture
def people(reference_data):
    """Nha Trang's officer and leader, Cam Ranh's officer, the Party Office's reviewer, each
    with an email address."""
    return {key: member(key) for key in ["officer", "leader", "other_officer", "reviewer"]}


@pytest.fixture
def nha_trang_tasks(people):
    """Thành ủy Nha Trang's two assignments, both due tomorrow."""
    return [
        fixed_deadline("III.1.b1.s2", "thanh-uy-nha-trang", TOMORROW),
        fixed_deadline("III.10.b1", "thanh-uy-nha-trang", TOMORROW),
    ]


def mail_fails(settings) -> int:
    """Mail goes to a port nothing listens on; returns the port."""
    port = free_port()
    point_mail_at(settings, port)
    return port


def test_it_mails_each_recipient_one_digest_of_their_reminders(
    settings, sink, people, nha_trang_tasks
):
    point_mail_at(settings, sink.port)
    cam_ranh = fixed_deadline("III.1.b1.s3", "thanh-uy-cam-ranh", TOMORROW)

    result = services.reminders_sweep(now=NOW)

    assert (result.sent, result.already_sent, result.failed) == (3, 0, 0)
    # Two tasks for the Nha Trang officer in one message; the leader and the Party Office hear
    # nothing a day before a deadline.
    assert sink.recipients() == {EMAILS["officer"]: 1, EMAILS["other_officer"]: 1}
    [message] = sink.messages_to(EMAILS["officer"])
    assert parseaddr(str(message["From"])) == parseaddr(django_settings.DEFAULT_FROM_EMAIL)
    assert parseaddr(str(message["To"]))[1] == EMAILS["officer"]
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert set(parts) == {"text/plain", "text/html"}
    site = django_settings.SITE_URL.rstrip("/")
    for content_type, content in parts.items():
        readable = page_text(content) if content_type == "text/html" else content
        assert "Nguyễn Thị Lan" in readable, content_type
        for assignment in nha_trang_tasks:
            with translation.override("vi"):  # cited in words, as people read it
                assert assignment.item.citation in readable, content_type
            assert f"{site}/assignments/{assignment.pk}/" in content, content_type
        assert f"{site}/assignments/{cam_ranh.pk}/" not in content, content_type
        assert "10/03/2026" in readable, content_type
    [to_cam_ranh] = sink.messages_to(EMAILS["other_officer"])
    assert f"{site}/assignments/{cam_ranh.pk}/" in to_cam_ranh.get_body(("plain",)).get_content()
    assert set(EmailDelivery.objects.values_list("to_address", "state", "attempts", "sent_at")) == {
        (EMAILS["officer"], EmailState.SENT, 1, NOW),
        (EMAILS["other_officer"], EmailState.SENT, 1, NOW),
    }


def test_it_writes_the_subject_in_vietnamese_with_the_count(
    settings, sink, people, nha_trang_tasks
):
    point_mail_at(settings, sink.port)

    services.reminders_sweep(now=NOW)

    [message] = sink.messages_to(EMAILS["officer"])
    subject = str(message["Subject"])
    assert unicodedata.is_normalized("NFC", subject)
    assert "2" in subject
    assert VIETNAMESE_LETTER.search(subject), f"not Vietnamese: {subject!r}"


def test_it_keeps_a_failed_email_shows_it_to_administrators_and_retries_it_later(
    settings, administrator_client, people, nha_trang_tasks
):
    port = mail_fails(settings)

    result = services.reminders_sweep(now=NOW)

    assert (result.sent, result.already_sent, result.failed) == (0, 0, 2)
    delivery = EmailDelivery.objects.get()
    assert delivery.to_address == EMAILS["officer"]
    assert delivery.state == EmailState.FAILED
    assert delivery.attempts == 1
    assert "Connection refused" in delivery.last_error
    assert delivery.next_attempt_at == NOW + timedelta(
        seconds=django_settings.REMINDER_EMAIL_RETRY_SECONDS
    )
    # The officer still finds both reminders in the app, each carried by the failed email.
    reminders = Reminder.objects.filter(recipient=people["officer"])
    assert {r.assignment_id for r in reminders} == {a.pk for a in nha_trang_tasks}
    assert {r.email for r in reminders} == {delivery}

    page = administrator_client.get(
        "/admin/notifications/emaildelivery/", {"state__exact": "failed"}
    )
    assert page.status_code == 200
    text = page_text(page)
    assert EMAILS["officer"] in text
    assert "Connection refused" in text

    # The server comes back; the message waits for its retry time all the same.
    sink = MailSink(port).start()
    try:
        assert services.emails_retry(now=NOW + timedelta(minutes=1)) == {}
        assert sink.envelopes == []

        later = delivery.next_attempt_at + timedelta(seconds=1)
        outcomes = services.emails_retry(now=later)

        assert outcomes == {delivery.pk: EmailState.SENT}
        assert sink.recipients() == {EMAILS["officer"]: 1}
    finally:
        sink.stop()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.sent_at, delivery.last_error) == (
        EmailState.SENT,
        2,
        later,
        "",
    )
    page = administrator_client.get(
        "/admin/notifications/emaildelivery/", {"state__exact": "failed"}
    )
    assert EMAILS["officer"] not in page_text(page)


def test_it_waits_longer_after_each_failure_gives_up_and_sends_when_an_administrator_asks(
    settings, administrator_client, people, nha_trang_tasks
):
    settings.REMINDER_EMAIL_RETRY_SECONDS = 300
    settings.REMINDER_EMAIL_MAX_ATTEMPTS = 6
    port = mail_fails(settings)
    services.reminders_sweep(now=NOW)
    delivery = EmailDelivery.objects.get()

    delays = []
    attempted_at = NOW
    while delivery.state == EmailState.FAILED:
        delays.append(delivery.next_attempt_at - attempted_at)
        # A minute early: not yet.
        assert services.emails_retry(now=delivery.next_attempt_at - timedelta(minutes=1)) == {}
        attempted_at = delivery.next_attempt_at
        services.emails_retry(now=attempted_at)
        delivery.refresh_from_db()

    assert [d / timedelta(minutes=1) for d in delays] == [5, 15, 45, 135, 405]
    assert delivery.state == EmailState.GIVEN_UP
    assert delivery.attempts == 6
    assert delivery.next_attempt_at is None
    assert "Connection refused" in delivery.last_error
    assert services.emails_retry(now=attempted_at + timedelta(days=30)) == {}

    changelist = "/admin/notifications/emaildelivery/"
    page = administrator_client.get(changelist, {"state__exact": "given_up"})
    assert EMAILS["officer"] in page_text(page)
    assert 'value="retry_now"' in page.content.decode()
    administrator_client.post(
        changelist, {"action": "retry_now", "_selected_action": [delivery.pk]}
    )

    delivery.refresh_from_db()
    assert delivery.state == EmailState.FAILED
    assert delivery.attempts == 0
    sink = MailSink(port).start()
    try:
        services.emails_retry(now=timezone.now())
        assert sink.recipients() == {EMAILS["officer"]: 1}
    finally:
        sink.stop()
    delivery.refresh_from_db()
    assert delivery.state == EmailState.SENT


def test_it_leaves_an_email_to_the_worker_holding_it_until_that_worker_is_presumed_dead(
    settings, sink, monkeypatch, people, nha_trang_tasks
):
    point_mail_at(settings, sink.port)

    def worker_killed(message, *args, **kwargs):
        raise SystemExit("worker killed while talking to the SMTP server")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", worker_killed)
        with pytest.raises(SystemExit):
            services.reminders_sweep(now=NOW)

    delivery = EmailDelivery.objects.get()
    assert delivery.state == EmailState.SENDING
    assert delivery.claimed_until > NOW
    # The reminders themselves were recorded before the mail went out.
    assert [r.email for r in Reminder.objects.filter(recipient=people["officer"])] == [
        delivery,
        delivery,
    ]

    assert services.emails_retry(now=delivery.claimed_until - timedelta(seconds=1)) == {}
    assert sink.envelopes == []

    outcomes = services.emails_retry(now=delivery.claimed_until + timedelta(seconds=1))

    assert outcomes == {delivery.pk: EmailState.SENT}
    assert sink.recipients() == {EMAILS["officer"]: 1}
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (EmailState.SENT, 2)
    # A second sweep finds nothing new to send.
    assert (
        services.reminders_sweep(now=NOW).summary == "reminders: sent 0, already sent 2, failed 0"
    )
    assert sink.recipients() == {EMAILS["officer"]: 1}
