"""The product works with JavaScript turned off: every action is a real form posted to the
server, with its CSRF token. The main journey, with JavaScript disabled in the browser."""

import re

import pytest
from playwright.sync_api import expect

from tasks.models import ProgressReport
from tests.browser.support import sign_in, vi

pytestmark = pytest.mark.browser

State = ProgressReport.State


def test_the_main_journey_works_without_javascript(world, new_context):
    officer, leader, reviewer = (
        new_context(java_script_enabled=False).new_page() for _ in range(3)
    )
    sign_in(officer, world.users["officer"])
    sign_in(leader, world.users["leader"])
    sign_in(reviewer, world.users["reviewer"])

    # The officer drafts and saves a report.
    officer.goto(f"/assignments/{world.assignment.pk}/")
    officer.get_by_role("link", name=re.compile(re.escape(world.period.name))).first.click()
    form = officer.locator("form.form").filter(has=officer.locator("#id_result"))
    expect(form.locator("input[name=csrfmiddlewaretoken]")).to_have_count(1)
    officer.locator("#id_result").fill("Đã ban hành kế hoạch thực hiện.")
    officer.locator("#id_percent_complete").fill("30")
    officer.get_by_role("button", name=vi("Save the draft")).click()
    expect(officer.locator(".messages")).to_contain_text(vi("The draft report was saved."))
    expect(officer.locator(".report-state .tag")).to_have_text(vi(State.DRAFT.label))
    report_url = officer.url

    # The leader submits it.
    leader.goto(report_url)
    leader.get_by_role("link", name=vi("Submit to the Party Office")).click()
    leader.get_by_role("button", name=vi("Submit to the Party Office")).click()
    expect(leader.locator(".report-state .tag")).to_have_text(vi(State.SUBMITTED.label))

    # The Party Office accepts it.
    reviewer.goto(report_url)
    reviewer.get_by_role("link", name=vi("Accept the report")).click()
    reviewer.get_by_role("button", name=vi("Accept the report")).click()
    expect(reviewer.locator(".messages")).to_contain_text(vi("The report was accepted."))
    expect(reviewer.locator(".report-state .tag")).to_have_text(vi(State.ACCEPTED.label))

    report = ProgressReport.objects.get()
    assert report.state == State.ACCEPTED
    assert report.result == "Đã ban hành kế hoạch thực hiện."
