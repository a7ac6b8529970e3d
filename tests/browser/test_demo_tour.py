"""The demo story as a newcomer sees it after `make run`: each role's demo account signs in and
lands on its own queue, with something true to show. The README's screenshots of the homes are
taken here, from the demo."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.models import User
from accounts.services import DEMO_PASSWORD
from tests.browser.support import screenshot, vi

pytestmark = pytest.mark.browser

# Who signs in, what their home must show (a queue's markup), and the screenshot's name.
ACCOUNTS = [
    ("vanphong", "tr[data-report]", "home-reviewer"),
    ("thuongvu", "[data-generated-report]", "home-standing-committee"),
    ("giamsat.mttq", '[data-role="supervisor"]', "home-supervisor"),
    ("nhatrang.lanhdao", "#attention-heading", "home-agency-leader"),
]


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.sign-in__form").get_by_role("button", name=vi("Sign in")).click()
    expect(page.locator(".site-user__name")).to_have_text(
        User.objects.get(username=username).display_name
    )


def test_each_demo_account_lands_on_its_queue(transactional_db, live_server, new_context):
    from operations.demo import demo_story_load

    with override_settings(DEBUG=True):
        demo_story_load(with_status_reports=True)

    for username, queue, name in ACCOUNTS:
        page = new_context().new_page()
        sign_in(page, username)
        expect(page.get_by_role("heading", level=1)).to_have_text(vi("My desk"))
        expect(page.locator(queue).first).to_be_visible()
        screenshot(page, name)
