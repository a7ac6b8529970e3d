"""The web process and the task cluster write to one SQLite file at the same time (`make run`),
and neither fails with "database is locked": while a separate process, on `make run`'s own
settings, writes in a loop as a cluster's job does (it reads, works a moment, then writes, all
in one transaction), an officer saves a report again and again through the web pages. Every
save and every job's write lands.

What makes this hold is in the base settings (WAL, a busy timeout, transactions that take the
write lock when they begin). Without them one side fails within a few writes: a transaction
that has read and then wants to write while the other is committing is refused at once, the
busy timeout notwithstanding.

The data is committed (a transactional test) so that both processes contend for the lock.
"""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import SecurityEvent
from conftest import make_member
from programme.services import reference_data_load, reference_sources
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.services.reports import ReportData, report_create
from tests.reminders_support import BASE_DIR, django_env, wait_until

pytestmark = [
    pytest.mark.database,
    pytest.mark.integration,
    # SQLite's one write lock for the whole file; PostgreSQL locks rows.
    pytest.mark.sqlite_only,
    pytest.mark.django_db(transaction=True),
]

SAVES = 40
# Longer than the 5 s Python's sqlite3 waits for a lock unless told otherwise.
HOLD = 7

# A cluster's work, one transaction after another until told to stop: count what was written
# so far, pause a moment, then record the next row (a read, then a write, as the queue broker's
# claim of a job and the reminder sweep's transactions are); then a short pause, as between
# two polls of the queue. The first transaction holds the write lock for HOLD seconds, longer
# than SQLite's default wait. Prints how many transactions it committed.
CLUSTER_WRITES = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.db import transaction
from accounts.models import SecurityEvent

marker, started, stop, hold = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
committed = 0
give_up = time.monotonic() + 120
while not stop.exists() and time.monotonic() < give_up:
    with transaction.atomic():
        done = SecurityEvent.objects.filter(username=marker).count()
        time.sleep(0.01)
        SecurityEvent.objects.create(
            kind=SecurityEvent.Kind.EXPORT, username=marker, detail=f"{marker} {done}"
        )
        if not committed:
            started.touch()
            time.sleep(float(hold))
    committed += 1
    time.sleep(0.02)
print(committed)
"""


def test_it_saves_every_report_while_the_cluster_writes(client, tmp_path):
    reference_data_load(sources=reference_sources(), reason="test")
    officer = make_member("officer")
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    report = report_create(
        assignment=assignment,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        data=ReportData(result="Đã ban hành kế hoạch thực hiện.", percent_complete=10),
        acting_user=officer,
    )
    client.force_login(officer)
    client.raise_request_exception = False
    # The officer opens the form first (the first request also imports the views).
    assert client.get(reverse("report_edit", args=[report.pk])).status_code == 200
    marker = f"cluster-writes-{os.getpid()}"
    started, stop = tmp_path / "started", tmp_path / "stop"
    # `make run` starts the cluster on the local settings, which add nothing to the database's.
    env = {**django_env(), "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    cluster = subprocess.Popen(
        [sys.executable, "-c", CLUSTER_WRITES, marker, str(started), str(stop), str(HOLD)],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_until(
            lambda: started.exists() or cluster.poll() is not None, timeout=60, every=0.05
        )
        begun = time.monotonic()
        failures, first_save = [], None
        for n in range(SAVES):
            version = ProgressReport.objects.values_list("version", flat=True).get(pk=report.pk)
            response = client.post(
                reverse("report_edit", args=[report.pk]),
                {
                    "result": f"Đã triển khai {n + 1} nội dung của kế hoạch.",
                    "percent_complete": str(n % 100),
                    "version": str(version),
                },
            )
            if response.status_code != 302:
                error = response.exc_info[1] if response.exc_info else ""
                failures.append(f"save {n + 1}: {response.status_code} {error!r}")
            first_save = first_save or time.monotonic() - begun
            time.sleep(0.005)
        ran_alongside = cluster.poll() is None
    finally:
        stop.touch()
        out, err = cluster.communicate(timeout=60)

    assert cluster.returncode == 0, f"the cluster's writes failed:\n{err[-3000:]}"
    assert not failures, "\n".join(failures)
    assert ran_alongside, "the cluster's writes stopped before the saves ended"
    # The first save waited for the cluster's long transaction to commit, and went through.
    assert first_save > 5, f"the first save did not wait for the cluster ({first_save:.1f} s)"
    committed = int(out.strip())
    assert committed > 0
    report.refresh_from_db()
    assert report.version == 1 + SAVES
    assert report.result == f"Đã triển khai {SAVES} nội dung của kế hoạch."
    assert ProgressReport.history.filter(id=report.pk).count() == 1 + SAVES
    # Each job's transaction saw every earlier one's row: none was lost or written twice.
    details = SecurityEvent.objects.filter(username=marker).values_list("detail", flat=True)
    assert sorted(details, key=lambda d: int(d.split()[-1])) == [
        f"{marker} {n}" for n in range(committed)
    ]


def test_it_runs_the_database_in_wal_mode():
    # Readers and the writer do not block each other; the pages read while the cluster writes.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
