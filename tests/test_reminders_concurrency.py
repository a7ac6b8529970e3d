"""At most once, under real concurrency: several `manage.py send_reminders` processes run the
same sweep at the same moment against the same database and a real SMTP server, and each
reminder is recorded once and mailed once. On SQLite by default, on PostgreSQL with
DATABASE_URL set.

The data is committed (a transactional test) so that the processes see it.
"""

import os
import re
import subprocess
import time
from collections import Counter
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, transaction

from notifications.models import EmailDelivery, EmailState, Reminder
from programme.services import reference_data_load, reference_sources
from tests.reminders_support import (
    EMAILS,
    NOW,
    MailSink,
    django_env,
    fixed_deadline,
    manage_command,
    member,
    wait_until,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.database,
    pytest.mark.integration,
]

PROCESSES = 4
SUMMARY = re.compile(r"^reminders: sent (\d+), already sent (\d+), failed (\d+)$", re.M)


@pytest.fixture
def sink():
    server = MailSink().start()
    yield server
    server.stop()


@pytest.fixture
def deadlines() -> dict[str, int]:
    """On NOW, 9 March 2026: one Nha Trang task due tomorrow, another 14 days overdue (the
    officer is reminded, its leader and the Party Office are told), a Cam Ranh task due today.
    Returns how many reminders each person is owed."""
    reference_data_load(sources=reference_sources(), reason="test")
    for key in ["officer", "other_officer", "leader", "reviewer"]:
        member(key)
    fixed_deadline("III.1.b1.s2", "thanh-uy-nha-trang", date(2026, 3, 10))
    fixed_deadline("III.10.b1", "thanh-uy-nha-trang", date(2026, 2, 23))
    fixed_deadline("III.1.b1.s3", "thanh-uy-cam-ranh", date(2026, 3, 9))
    return {
        EMAILS["officer"]: 2,
        EMAILS["leader"]: 1,
        EMAILS["reviewer"]: 1,
        EMAILS["other_officer"]: 1,
    }


def waiting_at_the_gate(processes: list[subprocess.Popen]) -> bool:
    """Whether every sweep has got as far as its first write, which the gate holds up."""
    if any(process.poll() is not None for process in processes):
        return True  # One failed: its output says why.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted"
                " AND relation = 'notifications_reminder'::regclass"
            )
            return cursor.fetchone()[0] == len(processes)
    # SQLite cannot say who waits for its lock: a sweep that has the database open has read
    # what it plans to send and is about to begin its write.
    database = os.path.realpath(connection.settings_dict["NAME"])
    for process in processes:
        fds = Path(f"/proc/{process.pid}/fd")
        if not any(os.path.realpath(fd) == database for fd in fds.iterdir()):
            return False
    time.sleep(1)
    return True


@contextmanager
def gate():
    """Hold the reminders' write lock, so that sweeps started meanwhile queue up at their
    first write and then all go at once: the race is run, not hoped for."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Lets the sweeps read, and stops every insert into the table.
                cursor.execute("LOCK TABLE notifications_reminder IN SHARE ROW EXCLUSIVE MODE")
        # On SQLite the transaction (BEGIN IMMEDIATE) holds the database's write lock.
        yield


def sweeps(
    count: int, *, env: dict[str, str], together: bool = False
) -> list[tuple[int, int, int]]:
    """Run `count` sweeps at the same time, all pretending it is NOW; each one's summary
    line. `together`: each waits at the gate until all have reached it."""
    command = manage_command("send_reminders", "--now", NOW.isoformat())
    with gate() if together else nullcontext():
        processes = [
            subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(count)
        ]
        if together:
            assert wait_until(lambda: waiting_at_the_gate(processes), timeout=20), (
                "the sweeps did not all reach the gate"
            )
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        lines = SUMMARY.findall(out)
        assert len(lines) == 1, f"one summary line expected:\n{out}\n{err}"
        summaries.append(tuple(int(n) for n in lines[0]))
    return summaries


def test_it_sends_each_reminder_once_when_sweeps_run_at_the_same_time(sink, deadlines):
    owed = sum(deadlines.values())
    env = django_env(smtp_port=sink.port)

    summaries = sweeps(PROCESSES, env=env, together=True)

    assert sum(sent for sent, _, _ in summaries) == owed, summaries
    # Every sweep saw every reminder: it sent it or found it sent.
    assert all(sent + already == owed and failed == 0 for sent, already, failed in summaries)
    keys = list(Reminder.objects.values_list("recipient__email", "subject", "step__code"))
    assert len(keys) == len(set(keys)) == owed
    assert Counter(email for email, _, _ in keys) == deadlines
    assert sink.recipients() == dict.fromkeys(deadlines, 1)
    assert Counter(EmailDelivery.objects.values_list("state", flat=True)) == {
        EmailState.SENT: len(deadlines)
    }

    assert sweeps(1, env=env) == [(0, owed, 0)]
    assert sink.recipients() == dict.fromkeys(deadlines, 1)
    assert Reminder.objects.count() == owed
