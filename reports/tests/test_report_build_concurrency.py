"""Two requests for the same report at the same moment queue one build. Its own module: the
requests run in threads with their own connections, so the data is committed (a transactional
test), which cannot share a module with the reference data other tests hold in a transaction.
On SQLite by default, on PostgreSQL with DATABASE_URL set."""

import contextlib
import threading

import pytest
from django.db import connection
from django_q.models import OrmQ

from accounts.models import Body
from conftest import make_member
from programme.models import Programme
from programme.services import reference_data_load, reference_sources
from reports import services as generated_reports
from reports.models import GeneratedReport
from reports.services import generated_report_request
from tasks.models import ReportingPeriod

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.database]


def test_two_clicks_at_the_same_moment_queue_one_build(monkeypatch):
    """Two requests of the same user, each in its own thread and connection, both past the
    permission check at once: the second waits for the first to commit and gets its report.
    The service holds the first at its insert until the second has had time to catch up, so
    without the lock on the user both would insert. (SQLite takes its write lock when a
    transaction begins, so there the requests are serialised anyway.)"""
    reference_data_load(sources=reference_sources(), reason="test")
    officer = make_member("officer")
    nq23 = Programme.objects.get(code="nq23")
    period = ReportingPeriod.objects.get(code="2026-nam")
    nha_trang = Body.objects.get(code="thanh-uy-nha-trang")
    gate = threading.Barrier(2, timeout=3)
    create = generated_reports._create

    def held_create(**fields):
        # A broken gate: the other request waits for this one's lock, as it should.
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()
        return create(**fields)

    monkeypatch.setattr(generated_reports, "_create", held_create)
    results, errors = [], []

    def click():
        try:
            results.append(
                generated_report_request(
                    kind="body", programme=nq23, period=period, body=nha_trang, acting_user=officer
                ).pk
            )
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(results) == 2 and len(set(results)) == 1
    assert GeneratedReport.objects.count() == 1
    assert [queued.task["args"][0] for queued in OrmQ.objects.all()] == results[:1]
