"""The reminders run on their own: a real `manage.py qcluster` process, started by the test on
the test database, fires the synced schedule, and the officer finds the reminder in the app
and in a real SMTP server's mailbox without anyone pressing a button. Also: the schedules
sync idempotently, the cluster settings are the safe ones, and with REDIS_URL set the queue
really goes through Redis.

django-q2's scheduler first looks at the schedules about 30 seconds after the cluster starts.
"""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_q.models import OrmQ, Schedule, Success

from notifications.models import Reminder
from notifications.schedules import schedules_sync
from programme.services import reference_data_load, reference_sources
from tests.reminders_support import (
    EMAILS,
    Cluster,
    MailSink,
    django_env,
    fixed_deadline,
    member,
    point_mail_at,
    python,
    wait_until,
)

REDIS_URL = "redis://127.0.0.1:6379/15"
PRINT_Q_CLUSTER = (
    "from django.conf import settings; import json; print(json.dumps(settings.Q_CLUSTER))"
)

pytestmark = pytest.mark.integration


@pytest.fixture
def sink():
    server = MailSink().start()
    yield server
    server.stop()


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


@pytest.mark.django_db(transaction=True)
def test_a_running_cluster_sends_the_reminder_of_a_task_due_tomorrow(settings, tmp_path, sink):
    reference_data_load(sources=reference_sources(), reason="test")
    officer = member("officer", since=None)
    assignment = fixed_deadline(
        "III.1.b1.s2", "thanh-uy-nha-trang", timezone.localdate() + timedelta(days=1)
    )
    call_command("sync_schedules", stdout=StringIO())
    assert Schedule.objects.get(name="reminders: sweep").func == (
        "notifications.jobs.reminders_sweep"
    )

    def delivered():
        return (
            Reminder.objects.filter(recipient=officer, subject=f"a{assignment.pk}").exists()
            and sink.recipients().get(EMAILS["officer"])
            and Success.objects.filter(func="notifications.jobs.reminders_sweep").first()
        )

    cluster = Cluster(env=django_env(smtp_port=sink.port), log=tmp_path / "qcluster.log")
    try:
        sweep = wait_until(delivered, timeout=90, every=1)
    finally:
        exit_code = cluster.stop()
    log = cluster.output()

    assert sweep, f"no reminder from the cluster; its log:\n{tail(log)}"
    assert sweep.result.startswith("reminders: sent "), sweep.result
    assert exit_code is not None, f"the cluster did not stop on SIGTERM:\n{tail(log)}"
    assert sink.recipients()[EMAILS["officer"]] == 1
    [message] = sink.messages_to(EMAILS["officer"])
    # The task cited as people read it ("III.1, gạch đầu dòng thứ 1, ý thứ 2").
    with translation.override("vi"):
        citation = assignment.item.citation
    assert citation in message.get_body(("plain",)).get_content()
    # The task's own deadline (an open reporting period may add a reminder of its report).
    reminder = Reminder.objects.get(recipient=officer, subject=f"a{assignment.pk}")
    assert reminder.deadline == assignment.deadline
    assert reminder.read_at is None

    # Running the sweep by hand afterwards sends nothing new.
    point_mail_at(settings, sink.port)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminders: sent 0, already sent " in out.getvalue()
    assert out.getvalue().rstrip().endswith(", failed 0")
    assert sink.recipients()[EMAILS["officer"]] == 1


@pytest.mark.django_db
def test_it_syncs_the_schedules_by_name_and_leaves_others_alone(settings):
    ours = {"reminders: sweep", "reminders: retry failed email"}
    first = schedules_sync()
    assert ours <= set(first.created)
    assert (first.updated, first.removed) == ([], [])

    again = schedules_sync()
    assert (again.created, again.updated, again.removed) == ([], [], [])
    assert set(again.unchanged) == set(first.created)

    settings.REMINDER_SWEEP_MINUTES = 15
    Schedule.objects.create(
        name="reminders: weekly digest",
        func="notifications.jobs.weekly_digest",
        schedule_type=Schedule.WEEKLY,
    )
    Schedule.objects.create(
        name="Sao lưu dữ liệu hằng đêm",
        func="django.core.management.call_command",
        args="'dumpdata'",
        schedule_type=Schedule.DAILY,
    )
    changed = schedules_sync()

    assert changed.updated == ["reminders: sweep"]
    assert changed.removed == ["reminders: weekly digest"]
    assert changed.created == []
    assert Schedule.objects.get(name="reminders: sweep").minutes == 15
    assert set(Schedule.objects.values_list("name", flat=True)) == {
        *first.created,
        "Sao lưu dữ liệu hằng đêm",
    }


def test_the_cluster_never_replays_missed_runs_and_retries_only_after_the_timeout(settings):
    # As deployed (REDIS_URL set) and as run locally (the ORM broker).
    with_redis = json.loads(python(PRINT_Q_CLUSTER, env=django_env(redis_url=REDIS_URL)))
    local = json.loads(python(PRINT_Q_CLUSTER, env=django_env()))

    assert with_redis["redis"] == REDIS_URL
    assert "orm" not in with_redis
    assert local["orm"] == "default"
    assert "redis" not in local
    for conf in (with_redis, local, settings.Q_CLUSTER):
        assert conf["catch_up"] is False
        assert conf["retry"] > conf["timeout"]


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_through_redis_runs_on_the_cluster(tmp_path):
    env = django_env(redis_url=REDIS_URL)
    cluster = Cluster(env=env, log=tmp_path / "qcluster.log")
    try:
        task_id = python(
            "from django_q.tasks import async_task\n"
            "print(async_task('notifications.jobs.emails_retry'))",
            env=env,
        ).strip()
        done = wait_until(lambda: Success.objects.filter(id=task_id).first(), timeout=45)
    finally:
        exit_code = cluster.stop()

    assert done, f"the job did not run; the cluster's log:\n{tail(cluster.output())}"
    assert done.func == "notifications.jobs.emails_retry"
    assert done.result == "emails: retried 0, sent 0"
    # It went through Redis: the ORM broker's queue never saw it.
    assert not OrmQ.objects.exists()
    assert exit_code is not None
