"""A worker killed in the middle of a job leaves no trace of it, and the job, run again, does
its work completely and once. A real `manage.py qcluster` on the test database runs a job that
writes rows in one transaction and waits before committing; the whole cluster is SIGKILLed
while it waits."""

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ, Success
from django_q.tasks import async_task

from accounts.models import SecurityEvent
from tests.reminders_support import Cluster, django_env, wait_until

pytestmark = [pytest.mark.database, pytest.mark.integration]

ROWS = 25


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


@pytest.mark.django_db(transaction=True)
def test_a_job_killed_mid_transaction_leaves_nothing_and_reruns_once(tmp_path):
    marker = f"kill-test-{os.getpid()}"
    pause = tmp_path / "pause"
    pause.write_text("hold")
    written = SecurityEvent.objects.filter(username=marker)
    task_id = async_task(
        "tests.jobs_for_tests.rows_written_in_one_transaction",
        marker=marker,
        rows=ROWS,
        pause_file=str(pause),
    )
    env = django_env()

    first = Cluster(env=env, log=tmp_path / "first.log")
    try:
        inside = wait_until(pause.with_suffix(".inside").exists, timeout=60, every=0.2)
        assert inside, f"the job never started:\n{tail(first.output())}"
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=10)
    finally:
        if first.process.poll() is None:
            os.killpg(first.process.pid, signal.SIGKILL)
            first.process.wait(timeout=10)

    assert written.count() == 0, "a killed job left part of its work"
    assert not Success.objects.filter(id=task_id).exists()
    # The task is still queued; the broker gives it out again once its lease (Q_CLUSTER's
    # "retry") runs out: make that moment now instead of waiting for it.
    assert OrmQ.objects.count() == 1
    OrmQ.objects.update(lock=timezone.now() - timedelta(seconds=1))
    pause.unlink()

    second = Cluster(env=env, log=tmp_path / "second.log")
    try:
        done = wait_until(lambda: Success.objects.filter(id=task_id).first(), timeout=90, every=0.5)
    finally:
        second.stop()

    assert done, f"the job did not run again:\n{tail(second.output())}"
    assert done.result == f"{marker}: {ROWS} rows"
    assert written.count() == ROWS
    assert sorted(written.values_list("detail", flat=True)) == sorted(
        f"{marker} {n}" for n in range(ROWS)
    )
    assert not OrmQ.objects.exists()
