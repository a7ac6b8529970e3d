"""A conversation on an assignment, in Chromium: Thành ủy Nha Trang's officer and the Party
Office's reviewer exchange three messages on the assignment; each sees the other's message on
the thread and a notice of it in the bell. The notices' jobs are run here as a worker of the
task cluster runs them. The thread has no serious accessibility violation (axe-core)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_violations, screenshot, sign_in, vi
from tests.reminders_support import queued_jobs_run

pytestmark = pytest.mark.browser


def write(page, url: str, text: str) -> None:
    page.goto(url)
    page.locator("#id_text").fill(text)
    page.locator("#message-form").get_by_role("button", name=vi("Send")).click()
    expect(page.locator(".messages")).to_contain_text(vi("The message was sent."))
    expect(page.locator(".thread__entry--message").last).to_contain_text(text)


def sees(page, url: str, text: str, unread: int) -> None:
    page.goto(url)
    expect(page.locator(".thread")).to_contain_text(text)
    bell = page.locator("a.bell .bell__count")
    expect(bell).to_have_attribute("data-unread", str(unread))


def test_a_body_and_the_party_office_exchange_three_messages_each_told(world, new_context):
    officer_page = new_context(axe=True).new_page()
    reviewer_page = new_context().new_page()
    sign_in(officer_page, world.users["officer"])
    sign_in(reviewer_page, world.users["reviewer"])
    url = f"/assignments/{world.assignment.pk}/discussion/"

    # From the assignment's page, by its link with the count.
    officer_page.goto(f"/assignments/{world.assignment.pk}/")
    officer_page.locator(".discussion-summary a").click()
    expect(officer_page.get_by_role("heading", level=1)).to_contain_text(vi("Discussion"))

    write(officer_page, url, "Kính gửi Văn phòng: đơn vị đã lập quy hoạch cụm công nghiệp.")
    queued_jobs_run()
    sees(reviewer_page, url, "đã lập quy hoạch cụm công nghiệp", unread=1)

    write(reviewer_page, url, "Đề nghị gửi kèm quyết định phê duyệt quy hoạch.")
    queued_jobs_run()
    sees(officer_page, url, "Đề nghị gửi kèm quyết định phê duyệt", unread=1)

    write(officer_page, url, "Đơn vị sẽ gửi quyết định trong tuần này.")
    queued_jobs_run()
    sees(reviewer_page, url, "sẽ gửi quyết định trong tuần này", unread=2)

    # The thread as the officer reads it: no serious accessibility violation; its screenshot
    # is the README's.
    officer_page.goto(url)
    expect(officer_page.locator(".thread__entry--message")).to_have_count(3)
    assert axe_violations(officer_page) == []
    screenshot(officer_page, "discussion")

    # The bell's notice leads back to the thread.
    reviewer_page.locator("a.bell").click()
    notices = reviewer_page.locator(".notification--unread")
    expect(notices).to_have_count(2)
    expect(notices.first).to_contain_text(vi("New message in the discussion"))
    notices.first.get_by_role("link").first.click()
    expect(reviewer_page).to_have_url(re.compile(r"/discussion/"))
