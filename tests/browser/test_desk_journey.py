"""A report carried from draft to acceptance, in Chromium against the live server: at each
step the person who must act next finds it on their home page ("/", the desk), and in the
bell when a notice is written for the step, and reaches it from there in one click, without
searching. Notices are written by a queued job; the test runs the queue as the task
cluster would."""

import re

import pytest
from playwright.sync_api import expect

from tasks.models import ProgressReport
from tests.browser.support import sign_in, vi
from tests.reminders_support import queued_jobs_run

pytestmark = pytest.mark.browser

State = ProgressReport.State


def message(page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def state(page, choice) -> None:
    expect(page.locator(".report-state .tag")).to_have_text(vi(choice.label))


def home(page):
    """The home page, reached from the header as a person does."""
    page.locator("a.site-name").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("My desk"))
    return page


def section(page, heading_id: str):
    return page.locator(f"section[aria-labelledby={heading_id}]")


def in_the_bell(page, report_path: str, *, unread: int) -> None:
    """The bell counts the unread notices, and its list links to the report."""
    bell = page.locator("a.bell")
    expect(bell.locator(".bell__count")).to_have_attribute("data-unread", str(unread))
    bell.click()
    expect(page.locator(f'li.notification--unread a[href="{report_path}"]').first).to_be_visible()


def test_the_next_person_finds_the_report_on_their_home_at_each_step(world, new_context):
    officer = new_context().new_page()
    leader = new_context().new_page()
    reviewer = new_context().new_page()
    supervisor = new_context().new_page()
    for page, key in [
        (officer, "officer"),
        (leader, "leader"),
        (reviewer, "reviewer"),
        (supervisor, "supervisor"),
    ]:
        sign_in(page, world.users[key])
    citation = re.compile(re.escape("III.1"))

    # The officer's home lists the report the period owes; one click leads to the assignment,
    # where the report is written.
    home(officer)
    owed = officer.locator("section").filter(
        has=officer.locator(f'a[href="/assignments/{world.assignment.pk}/"]')
    )
    owed.locator(f'a[href="/assignments/{world.assignment.pk}/"]').first.click()
    officer.get_by_role("link", name=re.compile(re.escape(world.period.name))).first.click()
    officer.locator("#id_result").fill("Đã lập quy hoạch cụm công nghiệp Diên Phú.")
    officer.locator("#id_percent_complete").fill("40")
    officer.get_by_role("button", name=vi("Save the draft")).click()
    message(officer, vi("The draft report was saved."))
    report_path = re.sub(r"^https?://[^/]+", "", officer.url)

    # The leader must submit it: it waits on the leader's home.
    to_send = section(home(leader), "to-send-heading")
    to_send.locator(f'a[href="{report_path}"]').click()
    state(leader, State.DRAFT)
    leader.get_by_role("link", name=vi("Submit to the Party Office")).click()
    leader.get_by_role("button", name=vi("Submit to the Party Office")).click()
    message(leader, vi("The report was submitted to the Party Office."))
    queued_jobs_run()

    # The Party Office must review it: on the reviewer's home, with the days it has waited,
    # and in the bell.
    waiting = section(home(reviewer), "queue-waiting-heading")
    expect(waiting.locator(f'a[href="{report_path}"]')).to_have_text(citation)
    row = waiting.locator("tr", has=reviewer.locator(f'a[href="{report_path}"]'))
    expect(row.locator("td[data-days]")).to_have_attribute("data-days", "0")
    in_the_bell(reviewer, report_path, unread=1)
    home(reviewer)
    section(reviewer, "queue-waiting-heading").locator(f'a[href="{report_path}"]').click()
    reviewer.get_by_role("link", name=vi("Return the report")).click()
    reviewer.locator("#id_reason").fill("Bổ sung số liệu vốn đầu tư.")
    reviewer.get_by_role("button", name=vi("Return the report")).click()
    message(reviewer, vi("The report was returned to the body."))
    queued_jobs_run()
    expect(
        section(home(reviewer), "queue-waiting-heading").locator(f'a[href="{report_path}"]')
    ).to_have_count(0)

    # The body must revise it: on the officer's home with the reason, and in the bell.
    returned = section(home(officer), "returned-heading")
    expect(returned).to_contain_text("Bổ sung số liệu vốn đầu tư.")
    in_the_bell(officer, report_path, unread=1)
    home(officer)
    section(officer, "returned-heading").locator(f'a[href="{report_path}"]').click()
    officer.get_by_role("link", name=vi("Revise the report")).click()
    officer.locator("#id_result").fill(
        "Đã lập quy hoạch cụm công nghiệp Diên Phú; vốn đầu tư 120 tỷ đồng."
    )
    officer.get_by_role("button", name=vi("Save the report")).click()
    message(officer, vi("The report was saved."))

    # The leader must send it again: on the leader's home, and the return in the bell.
    returned = section(home(leader), "returned-heading")
    expect(returned.locator(f'a[href="{report_path}"]')).to_be_visible()
    in_the_bell(leader, report_path, unread=1)
    home(leader)
    section(leader, "returned-heading").locator(f'a[href="{report_path}"]').click()
    leader.get_by_role("link", name=vi("Resubmit to the Party Office")).click()
    leader.get_by_role("button", name=vi("Resubmit to the Party Office")).click()
    message(leader, vi("The report was submitted to the Party Office."))
    queued_jobs_run()

    # The Party Office again: on the home and in the bell; it accepts.
    waiting = section(home(reviewer), "queue-waiting-heading")
    expect(waiting.locator(f'a[href="{report_path}"]')).to_be_visible()
    in_the_bell(reviewer, report_path, unread=2)
    home(reviewer)
    section(reviewer, "queue-waiting-heading").locator(f'a[href="{report_path}"]').click()
    reviewer.get_by_role("link", name=vi("Accept the report")).click()
    reviewer.get_by_role("button", name=vi("Accept the report")).click()
    message(reviewer, vi("The report was accepted."))
    state(reviewer, State.ACCEPTED)
    queued_jobs_run()

    # Nothing is left for the body to do on it; the acceptance is in its bell, and the
    # supervisor finds it among the reports accepted since its last visit.
    expect(
        section(home(officer), "returned-heading").locator(f'a[href="{report_path}"]')
    ).to_have_count(0)
    expect(officer.locator("a.bell .bell__count")).not_to_have_attribute("data-unread", "0")
    officer.locator("a.bell").click()
    expect(
        officer.locator(f'li.notification--unread a[href="{report_path}"]').first
    ).to_be_visible()
    accepted = section(home(supervisor), "queue-accepted-heading")
    accepted.locator(f'a[href="{report_path}"]').click()
    state(supervisor, State.ACCEPTED)


def test_every_roles_desk_has_no_serious_accessibility_violation(world, new_context):
    """Each role's desk with something in every queue: a report waiting for review, an
    accepted one, the Standing Committee member's charts and tables; axe-core finds no
    serious or critical violation, and the charts carry no script or style of their own."""
    from tasks.services.reports import ReportData, report_accept, report_create, report_submit
    from tests.browser.support import axe_violations

    users = world.users
    report = report_create(
        assignment=world.assignment,
        period=world.period,
        data=ReportData(result="Đã lập quy hoạch cụm công nghiệp.", percent_complete=50),
        acting_user=users["officer"],
    )
    report_submit(report=report, acting_user=users["leader"])
    other = report_create(
        assignment=world.other_assignment,
        period=world.period,
        data=ReportData(result="Đã triển khai.", percent_complete=30),
        acting_user=world.users["other_officer"],
    )
    del other  # a Cam Ranh draft: on no one's desk but Cam Ranh's
    report_accept(report=report, acting_user=users["reviewer"])
    found = {}
    for who in ("officer", "leader", "reviewer", "supervisor", "standing_member", "administrator"):
        page = new_context(axe=True).new_page()
        sign_in(page, users[who])
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text(vi("My desk"))
        found[who] = axe_violations(page)
        assert page.locator("main svg script, main [style]").count() == 0
    assert {who: v for who, v in found.items() if v} == {}
