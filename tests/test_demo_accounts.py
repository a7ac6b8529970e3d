"""Local demo accounts: one or more per role, two district committees, never in production."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import Membership, Role, User
from accounts.services import DEMO_PASSWORD
from programme.services import reference_data_load, reference_sources

# Messages are matched in English; Vietnamese is the default language.
pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def reference_data(db):
    reference_data_load(sources=reference_sources(), reason="test")


def test_it_creates_an_account_for_every_role_and_prints_them(reference_data, capsys):
    call_command("create_demo_accounts")
    output = capsys.readouterr().out

    assert DEMO_PASSWORD in output
    for membership in Membership.objects.select_related("user", "role", "body"):
        assert membership.user.username in output
    roles_covered = set(Membership.objects.values_list("role__code", flat=True))
    assert roles_covered == set(Role.objects.values_list("code", flat=True))
    district_officers = Membership.objects.filter(
        role__code=Role.OFFICER, body__kind="district_committee"
    ).values_list("body__code", flat=True)
    assert len(set(district_officers)) >= 2


def test_running_it_again_keeps_the_accounts(reference_data, capsys):
    call_command("create_demo_accounts")
    users, history = User.objects.count(), User.history.count()
    call_command("create_demo_accounts")
    assert "already exist" in capsys.readouterr().out
    assert (User.objects.count(), User.history.count()) == (users, history)


def test_a_demo_account_can_sign_in(reference_data, client):
    call_command("create_demo_accounts")
    assert client.login(username="nhatrang.canbo", password=DEMO_PASSWORD)
    user = User.objects.get(username="nhatrang.canbo")
    assert user.last_login is not None
    [created] = user.history.all()
    assert created.history_type == "+"
    assert created.history_change_reason


@override_settings(DEMO_ACCOUNTS_ALLOWED=False)
def test_it_refuses_under_production_settings(reference_data):
    with pytest.raises(CommandError, match="not allowed"):
        call_command("create_demo_accounts")
    assert not User.objects.filter(username="quantri").exists()


def test_production_settings_forbid_demo_accounts():
    import importlib
    import os

    os.environ["DJANGO_SECRET_KEY"] = "x" * 50
    try:
        production = importlib.import_module("config.settings.production")
        assert production.DEMO_ACCOUNTS_ALLOWED is False
        assert production.DEBUG is False
    finally:
        del os.environ["DJANGO_SECRET_KEY"]
