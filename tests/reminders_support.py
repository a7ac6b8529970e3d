"""What the reminder integration tests share: a real SMTP server on localhost that keeps what it
receives, the people and deadlines the reminders are about, and Django processes (`manage.py
send_reminders`, `manage.py qcluster`) started against the test database.
"""

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from conftest import make_member
from tasks.models import Assignment, DeadlineKind
from tasks.services.common import tracked_save

BASE_DIR = Path(settings.BASE_DIR)
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# A Monday in March, when no reporting period of the reference data is open or due: the only
# reminders are the ones a test sets up.
NOW = timezone.make_aware(datetime(2026, 3, 9, 8, 0))
# The cast's memberships start here, so that they are in force on NOW whatever today is.
MEMBERS_SINCE = date(2026, 1, 1)

EMAILS = {
    "officer": "lan.nguyen@nhatrang.example.vn",
    "other_officer": "minh.tran@camranh.example.vn",
    "leader": "hung.le@nhatrang.example.vn",
    "reviewer": "hoa.pham@vptu.example.vn",
    "administrator": "mai.ho@vptu.example.vn",
}


def free_port() -> int:
    """A TCP port on localhost that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    """An SMTP server on localhost that accepts every message and keeps it."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.envelopes = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def start(self) -> "MailSink":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def recipients(self) -> Counter:
        """How many messages each address received."""
        return Counter(address for e in self.envelopes for address in e.rcpt_tos)

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)
            for e in self.envelopes
            if address in e.rcpt_tos
        ]


def point_mail_at(settings, port: int) -> None:
    """The pytest-django `settings` fixture sends mail over SMTP to localhost:port."""
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5


def member(key: str, *, since: date | None = MEMBERS_SINCE) -> User:
    """A cast member with an email address, whose memberships started on `since`."""
    user = make_member(key)
    user.email = EMAILS[key]
    tracked_save(user, acting_user=None, reason="test")
    if since is not None:
        for membership in user.memberships.all():
            membership.valid_from = since
            tracked_save(membership, acting_user=None, reason="test")
    return user


def fixed_deadline(item_key: str, body_code: str, deadline: date) -> Assignment:
    """The body's assignment on the task, given a fixed deadline."""
    assignment = Assignment.objects.get(item__key=item_key, body__code=body_code)
    assignment.deadline_kind = DeadlineKind.FIXED
    assignment.deadline = deadline
    tracked_save(assignment, acting_user=None, reason="test")
    return assignment


def wait_until(check: Callable[[], object], *, timeout: float, every: float = 0.5):
    """Ask `check` until it answers something true, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(every)


# Processes running Django against the test database.


def database_url() -> str:
    """The URL of the database this test runs on, for processes started by the test."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(db["NAME"])
        assert path.is_absolute(), (
            f"other processes cannot open the SQLite test database {db['NAME']!r}: "
            "config/settings/test.py must put it in a file"
        )
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "")
        if db["PASSWORD"]:
            user += ":" + quote(db["PASSWORD"])
        return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    raise AssertionError(f"no database URL for {connection.vendor}")


def django_env(*, smtp_port: int | None = None, redis_url: str | None = None) -> dict[str, str]:
    """The environment of a Django process on the test database: test settings, mail over SMTP
    to the given port, the ORM broker unless a Redis URL is given."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="config.settings.test",
        PYTHONUNBUFFERED="1",
    )
    if smtp_port is not None:
        env.update(
            DJANGO_EMAIL_BACKEND=SMTP_BACKEND, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port)
        )
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    return env


def manage_command(*args: str) -> list[str]:
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a management command to its end."""
    return subprocess.run(
        manage_command(*args),
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(code: str, *, env: dict[str, str], timeout: float = 60) -> str:
    """Run a snippet of Python with Django set up; what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class Cluster:
    """A `manage.py qcluster` process, its output in a file; stopped as an operator would,
    and killed if it does not stop."""

    def __init__(self, *, env: dict[str, str], log: Path):
        self.log = log
        with log.open("w") as out:
            # Its own process group: the workers it forks go with it if it must be killed.
            self.process = subprocess.Popen(
                manage_command("qcluster"),
                env=env,
                cwd=BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, *, timeout: float = 30) -> int | None:
        """SIGTERM, then wait; SIGKILL to the group after the timeout. The exit code, or None
        when it had to be killed."""
        if self.process.poll() is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            return None


def queued_jobs_run(prefix: str = "notifications.jobs.notices_deliver") -> list:
    """Run here, in the order queued, the jobs waiting in the ORM broker whose function starts
    with `prefix`, as a worker of the cluster would, and take them off the queue; other jobs
    stay queued. Jobs a job queues are run too. Returns what each job returned."""
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ

    results = []
    while True:
        waiting = [q for q in OrmQ.objects.order_by("id") if q.task["func"].startswith(prefix)]
        if not waiting:
            return results
        for queued in waiting:
            task = queued.task
            queued.delete()
            results.append(import_string(task["func"])(*task["args"], **task["kwargs"]))


def queued_jobs(prefix: str = "notifications.jobs.") -> list[tuple]:
    """The functions and arguments of the jobs waiting in the ORM broker."""
    from django_q.models import OrmQ

    return [
        (q.task["func"], tuple(q.task["args"]))
        for q in OrmQ.objects.order_by("id")
        if q.task["func"].startswith(prefix)
    ]
