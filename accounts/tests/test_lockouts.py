"""Sign-in lockouts: a user name is locked only at the address that guessed at it, an address
that guesses at many user names is refused as a whole, the client's address is read through a
trusted proxy, and administrators see the lockouts in force and lift them."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent, User
from accounts.security import client_ip

PASSWORD = "Dung-mat-khau-2026"
STRANGER = "198.51.100.7"
HOME = "203.0.113.5"
PROXY = "10.0.0.1"

pytestmark = [
    pytest.mark.database,
    pytest.mark.django_db,
    pytest.mark.usefixtures("axes_on"),
]


@pytest.fixture
def axes_on():
    with override_settings(
        AXES_ENABLED=True,
        AXES_FAILURE_LIMIT=5,
        SIGN_IN_ADDRESS_FAILURE_LIMIT=50,
        SIGN_IN_ADDRESS_WINDOW_HOURS=1,
        TRUSTED_PROXIES=[],
    ):
        yield


@pytest.fixture
def person(db):
    return User.objects.create_user("nguoidung", password=PASSWORD, full_name="Người Dùng")


def sign_in(username, password, address, **headers):
    """One sign-in from a fresh browser at the address; the response."""
    return Client().post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def guess(username, address, times=1, **headers):
    for _ in range(times):
        sign_in(username, "sai-mat-khau", address, **headers)


def test_it_locks_a_user_name_only_at_the_address_that_guessed_at_it(person):
    guess("nguoidung", STRANGER, times=5)

    assert sign_in("nguoidung", PASSWORD, STRANGER).status_code == 429
    # The person themselves, signing in from their own address, is not locked out.
    assert sign_in("nguoidung", PASSWORD, HOME).status_code == 302


def test_client_address_is_read_from_x_forwarded_for_only_behind_a_named_proxy(settings):
    factory = RequestFactory()

    def seen(remote, forwarded=None):
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(factory.get("/", REMOTE_ADDR=remote, **headers))

    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.1"]
    # The proxy appends the address it saw; what a client wrote before it is not believed.
    assert seen(PROXY, STRANGER) == STRANGER
    assert seen(PROXY, f"{HOME}, {STRANGER}") == STRANGER
    assert seen(PROXY, f"{HOME}, {STRANGER}, 192.0.2.1") == STRANGER
    assert seen(PROXY, f"nonsense, {STRANGER}") == STRANGER
    assert seen(PROXY, "nonsense") == PROXY
    assert seen(PROXY) == PROXY
    # A request that did not come through the proxy cannot choose its address.
    assert seen(STRANGER, HOME) == STRANGER

    settings.TRUSTED_PROXIES = []
    assert seen(PROXY, STRANGER) == PROXY


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_a_guesser_locks_out_only_themselves(person):
    colleague = User.objects.create_user("dongnghiep", password=PASSWORD)
    # Everyone reaches the application from the proxy's address; the guesser even tries to
    # pass for the person's own address.
    guess("nguoidung", PROXY, times=5, HTTP_X_FORWARDED_FOR=f"{HOME}, {STRANGER}")

    assert sign_in("nguoidung", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=STRANGER).status_code == 429
    assert sign_in("nguoidung", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=HOME).status_code == 302
    assert sign_in("dongnghiep", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=STRANGER).status_code == 302
    # The security log names the same address as the lockout.
    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert set(failed.values_list("ip_address", flat=True)) == {STRANGER}
    signed_in = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGNED_IN)
    assert {(e.user, e.ip_address) for e in signed_in} == {(person, HOME), (colleague, STRANGER)}
    assert AccessAttempt.objects.get().ip_address == STRANGER


@override_settings(AXES_FAILURE_LIMIT=3, SIGN_IN_ADDRESS_FAILURE_LIMIT=6)
def test_an_address_guessing_at_many_user_names_is_refused_whatever_the_name(person):
    for n in range(5):
        guess(f"doan-ten-{n}", STRANGER)
    # Fewer failures than the address's limit: someone else at the same address gets in.
    assert sign_in("nguoidung", PASSWORD, STRANGER).status_code == 302

    guess("doan-ten-5", STRANGER)
    refused = sign_in("nguoidung", PASSWORD, STRANGER)

    assert refused.status_code == 429
    assert "Tạm ngừng đăng nhập" in refused.content.decode()
    assert "60 phút" in refused.content.decode()
    assert sign_in("nguoidung", PASSWORD, HOME).status_code == 302
    locked = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKED_OUT)
    assert (locked.username, locked.ip_address, locked.detail) == (
        "nguoidung",
        STRANGER,
        "by address",
    )


@override_settings(AXES_FAILURE_LIMIT=3, SIGN_IN_ADDRESS_FAILURE_LIMIT=6)
def test_failures_older_than_the_window_no_longer_count_against_the_address(person):
    for n in range(6):
        guess(f"doan-ten-{n}", STRANGER)
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))

    assert sign_in("nguoidung", PASSWORD, STRANGER).status_code == 302
    guess("doan-ten-6", STRANGER)
    # Kept for the window only: the security log is the lasting record.
    assert AccessFailureLog.objects.count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED).count() == 7


def test_the_lockout_page_says_the_account_is_locked_here_and_for_how_long(person):
    guess("nguoidung", STRANGER, times=5)

    page = sign_in("nguoidung", PASSWORD, STRANGER).content.decode()

    assert "Tài khoản đã bị khóa" in page
    assert "30 phút tại địa chỉ của đồng chí" in page


def lockout_rows(text_of, response) -> dict[str, str]:
    """The lockout list's rows by address and user name, as people read them."""
    page = response.content.decode()
    rows = {}
    for chunk in page.split("<tr data-address=")[1:]:
        row = chunk.split("</tr>")[0]
        address = row.split('"')[1]
        username = row.split('data-username="')[1].split('"')[0] if "data-username" in row else "*"
        rows[f"{username}@{address}"] = text_of(row.split(">", 1)[1])
    return rows


def test_administrators_see_who_is_locked_out_from_where_since_when_and_how_often(
    client, administrator, person, text_of
):
    with override_settings(SIGN_IN_ADDRESS_FAILURE_LIMIT=7):
        guess("nguoidung", STRANGER, times=5)
        guess("khong-ai-ca", STRANGER, times=2)
    since = timezone.localtime(AccessAttempt.objects.get(username="nguoidung").attempt_time)
    client.force_login(administrator)

    with override_settings(SIGN_IN_ADDRESS_FAILURE_LIMIT=7):
        response = client.get(reverse("lockout_list"))

    assert response.status_code == 200
    rows = lockout_rows(text_of, response)
    assert set(rows) == {f"nguoidung@{STRANGER}", f"*@{STRANGER}"}
    assert rows[f"nguoidung@{STRANGER}"].startswith(f"Người Dùng (nguoidung) {STRANGER}")
    assert f"{since:%d/%m/%Y %H:%M}" in rows[f"nguoidung@{STRANGER}"]
    assert f"{since + timedelta(minutes=30):%d/%m/%Y %H:%M}" in rows[f"nguoidung@{STRANGER}"]
    assert " 5 Mở khóa" in rows[f"nguoidung@{STRANGER}"]
    assert rows[f"*@{STRANGER}"].startswith(f"Mọi tên đăng nhập {STRANGER}")
    assert " 7 Mở khóa" in rows[f"*@{STRANGER}"]


@override_settings(SIGN_IN_ADDRESS_FAILURE_LIMIT=20)
def test_the_lockout_list_costs_the_same_queries_however_many_lockouts(
    client, administrator, django_assert_num_queries
):
    client.force_login(administrator)
    guess("nguoidung", STRANGER, times=5)
    for n in range(20):
        guess(f"doan-ten-{n}", HOME)
    client.get(reverse("lockout_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("lockout_list"))
    # Counted now: each request that follows empties the connection's query log.
    queries = len(few.captured_queries)
    for n in range(4):
        guess("nguoidung", f"198.51.100.{20 + n}", times=5)
    for n in range(20):
        guess(f"doan-ten-{n}", "192.0.2.50")

    with django_assert_num_queries(queries):
        response = client.get(reverse("lockout_list"))
    assert response.content.decode().count("<tr data-address=") == 7
    assert queries <= 12


def test_an_administrator_lifts_a_lockout_and_the_security_log_says_so(
    client, administrator, person
):
    guess("nguoidung", STRANGER, times=5)
    guess("nguoidung", HOME, times=5)
    client.force_login(administrator)

    response = client.post(
        reverse("lockout_lift"), {"ip_address": STRANGER, "username": "nguoidung"}
    )

    assert response.status_code == 302
    assert sign_in("nguoidung", PASSWORD, STRANGER).status_code == 302
    # Only that lockout: the same user name at another address stays locked.
    assert sign_in("nguoidung", PASSWORD, HOME).status_code == 429
    lifted = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKOUT_LIFTED)
    assert (lifted.user, lifted.username, lifted.method) == (administrator, "quantri", "POST")
    assert lifted.detail == f"lifted the lockout of nguoidung from {STRANGER}"


@override_settings(SIGN_IN_ADDRESS_FAILURE_LIMIT=6)
def test_an_administrator_lifts_the_lockout_of_an_address(client, administrator, person):
    for n in range(6):
        guess(f"doan-ten-{n}", STRANGER)
    assert sign_in("nguoidung", PASSWORD, STRANGER).status_code == 429
    client.force_login(administrator)

    client.post(reverse("lockout_lift"), {"ip_address": STRANGER, "by_address": "on"})

    assert sign_in("nguoidung", PASSWORD, STRANGER).status_code == 302
    lifted = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKOUT_LIFTED)
    assert lifted.detail == f"lifted the lockout of every user name from {STRANGER}"


def test_lifting_a_lockout_that_already_ended_logs_nothing(client, administrator, text_of):
    client.force_login(administrator)

    response = client.post(
        reverse("lockout_lift"), {"ip_address": STRANGER, "username": "nguoidung"}, follow=True
    )

    assert "Lượt khóa này đã hết hiệu lực từ trước." in text_of(response)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT_LIFTED).exists()


def test_only_administrators_see_or_lift_lockouts(client, officer, person):
    guess("nguoidung", STRANGER, times=5)
    client.force_login(officer)

    assert client.get(reverse("lockout_list")).status_code == 403
    response = client.post(
        reverse("lockout_lift"), {"ip_address": STRANGER, "username": "nguoidung"}
    )

    assert response.status_code == 403
    assert sign_in("nguoidung", PASSWORD, STRANGER).status_code == 429
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT_LIFTED).exists()


def test_the_header_takes_administrators_and_no_one_else_to_the_lockouts(client, cast):
    lockouts, admin = reverse("lockout_list"), reverse("admin:index")
    for key, member in cast.items():
        client.force_login(member)
        page = client.get(reverse("programme_list")).content.decode()
        offered = key == "administrator"
        assert (f'href="{lockouts}"' in page) is offered, key
        assert (f'href="{admin}"' in page) is offered, key
