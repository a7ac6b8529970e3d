"""Where the demo story is not loaded: never under production settings, nor with DEBUG off,
nor with a clock before the story's end; and a database set up after the story begins is left
as it is, with a note saying how to see the story."""

import os
import subprocess
import sys
from datetime import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tasks.models import ProgressReport, ReportingPeriod

pytestmark = pytest.mark.usefixtures("in_english")


def test_it_refuses_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_story")
    assert not ReportingPeriod.objects.exists()


def test_it_refuses_under_the_production_settings_module(db):
    with (
        override_settings(DEBUG=True, SETTINGS_MODULE="config.settings.production"),
        pytest.raises(CommandError, match="production settings"),
    ):
        call_command("load_demo_story")
    assert not ReportingPeriod.objects.exists()


@pytest.mark.integration
def test_the_command_fails_under_the_real_production_settings(tmp_path):
    """As an operator would run it on a server: it stops before touching the database."""
    database = tmp_path / "untouched.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{database}",
        "LANGUAGE": "en",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "load_demo_story"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "config.settings.production" in done.stderr
    assert not database.exists()


def test_it_refuses_when_the_clock_is_before_the_story_ends(db):
    early = timezone.make_aware(datetime(2026, 11, 1, 9, 0))
    with (
        time_machine.travel(early, tick=False),
        override_settings(DEBUG=True),
        pytest.raises(CommandError, match="clock"),
    ):
        call_command("load_demo_story")


def test_it_leaves_a_database_set_up_later_alone(reference_data, db, capsys):
    """Reference data loaded today: the story's 2024 steps would come after rows they change."""
    states = dict(ReportingPeriod.objects.values_list("code", "state"))
    with override_settings(DEBUG=True):
        call_command("load_demo_story")

    assert "after the story begins" in capsys.readouterr().out
    assert not ProgressReport.objects.exists()
    assert dict(ReportingPeriod.objects.values_list("code", "state")) == states
