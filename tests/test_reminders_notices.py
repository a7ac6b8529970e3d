"""The whole cycle of notices through a real SMTP server on localhost (aiosmtpd): a report goes
from draft to acceptance, a deadline is set by mistake and corrected; what reaches whom, at
once or in the morning digest, never twice, never to the one who acted, and the digest line
that withdraws an emailed reminder.

Each step is committed as a request commits it; the job it queues is run as a worker of the
cluster runs it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import page_text
from notifications import jobs
from notifications.notices import notices_digest
from notifications.services import reminders_sweep
from tasks.models import Assignment, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.reports import (
    ReportData,
    report_accept,
    report_create,
    report_return,
    report_submit,
)
from tests.reminders_support import (
    EMAILS,
    MailSink,
    member,
    point_mail_at,
    queued_jobs,
    queued_jobs_run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def sink(settings):
    server = MailSink().start()
    point_mail_at(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def people(reference_data):
    return {key: member(key) for key in ["officer", "leader", "other_officer", "reviewer"]}


def bodies(sink, address: str) -> list[str]:
    """The plain-text bodies of the messages the address received, in order."""
    return [m.get_body(("plain",)).get_content() for m in sink.messages_to(address)]


def test_a_report_from_draft_to_acceptance_and_a_corrected_deadline(
    sink, people, django_capture_on_commit_callbacks
):
    officer, leader, reviewer = people["officer"], people["leader"], people["reviewer"]
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    period = ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")
    done = []

    def step(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        done.extend(queued_jobs("notifications.jobs.notices_deliver"))
        queued_jobs_run()
        return result

    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Đã ban hành kế hoạch thực hiện.", percent_complete=40),
        acting_user=officer,
    )
    step(report_submit, report=report, acting_user=leader)
    # The reviewers hear of submissions in the morning digest, by default.
    assert sink.envelopes == []

    step(report_return, report=report, reason="Bổ sung số liệu quý IV.", acting_user=reviewer)
    # Returns go at once, to the body's officers and leaders; not to the reviewer who acted.
    assert sink.recipients() == {EMAILS["officer"]: 1, EMAILS["leader"]: 1}
    [returned] = sink.messages_to(EMAILS["officer"])
    assert "Báo cáo bị trả lại" in str(returned["Subject"])
    text = returned.get_body(("plain",)).get_content()
    assert "Bổ sung số liệu quý IV." in text
    assert f"/reports/{report.pk}/" in text
    assert f"/reports/{report.pk}/" in returned.get_body(("html",)).get_content()

    step(report_submit, report=report, acting_user=leader)
    step(report_accept, report=report, acting_user=reviewer)
    # Acceptance waits for the digest too.
    assert len(sink.envelopes) == 2

    # Running every job again (a retry, a worker restarted) writes and mails nothing more.
    assert len(done) == 4
    for _func, args in done:
        jobs.notices_deliver(*args)
    assert len(sink.envelopes) == 2

    # A deadline typed 686 days in the past: the sweep reminds and escalates at once.
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_set_deadline(
            assignment=assignment,
            kind="fixed",
            deadline=today - timedelta(days=686),
            acting_user=reviewer,
            reason="Nhập thời hạn",
        )
    reminders_sweep(now=timezone.now())
    escalation = bodies(sink, EMAILS["leader"])[-1]
    assert "quá hạn 686 ngày" in escalation
    assert "Quá hạn 686 ngày" in escalation
    # Corrected a minute later.
    corrected = today + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_set_deadline(
            assignment=assignment,
            kind="fixed",
            deadline=corrected,
            acting_user=reviewer,
            reason="Sửa thời hạn nhập nhầm",
        )
    before_digest = sink.recipients()

    notices_digest()

    after = sink.recipients()
    got = {
        address: after[address] - before_digest.get(address, 0)
        for address in after
        if after[address] > before_digest.get(address, 0)
    }
    assert got == {EMAILS["officer"]: 1, EMAILS["leader"]: 1, EMAILS["reviewer"]: 1}
    reviewer_digest = bodies(sink, EMAILS["reviewer"])[-1]
    assert "Báo cáo được gửi để xem xét" in reviewer_digest
    assert "Báo cáo được gửi lại sau khi bị trả lại" in reviewer_digest
    assert "Báo cáo được chấp nhận" not in reviewer_digest
    officer_digest = bodies(sink, EMAILS["officer"])[-1]
    assert "Báo cáo được chấp nhận" in officer_digest
    assert "Báo cáo bị trả lại" not in officer_digest  # it went at once
    # The reminders mailed about the mistaken deadline are withdrawn, with the new one.
    for address in (EMAILS["officer"], EMAILS["leader"], EMAILS["reviewer"]):
        digest = bodies(sink, address)[-1]
        assert "không còn hiệu lực" in digest, address
        assert f"Thời hạn mới: {corrected:%d/%m/%Y}." in digest, address
        html = sink.messages_to(address)[-1].get_body(("html",)).get_content()
        assert "không còn hiệu lực" in page_text(html), address
    # Another body heard only of its own deadlines (its period reports are due too).
    for message in sink.messages_to(EMAILS["other_officer"]):
        assert "nhắc việc" in str(message["Subject"])
        assert "III.1.b1.s2" not in message.get_body(("plain",)).get_content()

    # The next morning: nothing new, nothing again.
    count = len(sink.envelopes)
    notices_digest()
    assert len(sink.envelopes) == count


@pytest.mark.django_db(transaction=True)
def test_a_running_cluster_writes_and_mails_the_notices_of_the_steps_taken(tmp_path, sink):
    """Not in the request: the steps only queue their jobs, and a real `manage.py qcluster`
    process, started by the test on the test database, does the rest."""
    from django_q.models import Success

    from notifications.models import Reminder
    from programme.services import reference_data_load, reference_sources
    from tests.reminders_support import Cluster, django_env, wait_until

    reference_data_load(sources=reference_sources(), reason="test")
    officer, leader, reviewer = (member(key) for key in ("officer", "leader", "reviewer"))
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    period = ReportingPeriod.objects.get(programme__code="nq23", code="2026-nam")
    report = report_create(
        assignment=assignment,
        period=period,
        data=ReportData(result="Đã ban hành kế hoạch.", percent_complete=40),
        acting_user=officer,
    )
    report_submit(report=report, acting_user=leader)
    report_return(report=report, reason="Bổ sung số liệu.", acting_user=reviewer)
    # Committed, queued, and nothing written or mailed yet.
    assert [func for func, _args in queued_jobs()] == ["notifications.jobs.notices_deliver"] * 2
    assert not Reminder.objects.filter(subject_kind="event").exists()

    def delivered():
        return (
            Success.objects.filter(func="notifications.jobs.notices_deliver").count() == 2
            and sink.recipients().get(EMAILS["leader"])
            and sink.recipients().get(EMAILS["officer"])
        )

    cluster = Cluster(env=django_env(smtp_port=sink.port), log=tmp_path / "qcluster.log")
    try:
        done = wait_until(delivered, timeout=60)
    finally:
        cluster.stop()

    assert done, f"no notices from the cluster; its log:\n{cluster.output()[-4000:]}"
    assert set(
        Reminder.objects.filter(subject_kind="event").values_list("recipient__username", "event")
    ) == {
        (reviewer.username, "submitted"),
        (officer.username, "returned"),
        (leader.username, "returned"),
    }
    assert sink.recipients() == {EMAILS["officer"]: 1, EMAILS["leader"]: 1}
    assert {
        s.result for s in Success.objects.filter(func="notifications.jobs.notices_deliver")
    } == {
        "notices: written 1, already written 0, mailed at once 0",
        "notices: written 2, already written 0, mailed at once 2",
    }
