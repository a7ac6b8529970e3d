"""What the browser tests share: Debian's Chromium driven by Playwright (one browser per run, a
fresh context per test), the live server they drive, axe-core from npm, and the world each
test starts from, written through the ORM and the services.

Playwright's own browser download cannot work on these machines, so the tests launch
/usr/bin/chromium (`make test` installs it when it can). Without the browser or axe-core the
tests fail, saying what to install: a run that drove no browser must not pass.
"""

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.browser.support import (
    AXE,
    CHROMIUM,
    SCREENSHOTS,
    TIMEOUT_MS,
    VIEWPORT,
    require_browser,
)

# Playwright's sync API runs an asyncio loop in the test's thread, so Django would take the
# test's own ORM calls for calls from async code and refuse them. They are not: the test
# thread is synchronous and the live server runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


def _new_context(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=VIEWPORT,
        accept_downloads=True,
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def new_context(browser, live_server):
    """Opens a further browser context (another person at another PC); all are closed at the
    end of the test."""
    contexts = []

    def open_context(*, axe: bool = False, **options):
        context = _new_context(browser, live_server, **options)
        if axe:
            context.add_init_script(path=str(AXE))
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@dataclass
class World:
    users: dict
    assignment: object  # Thành ủy Nha Trang's local work on III.1 (Nha Trang area), due in 5 days
    supervision: object  # the Fatherland Front's supervision of the same task
    other_assignment: object  # Thành ủy Cam Ranh's local work on the same task
    period: object  # 2026-nam, open


@pytest.fixture
def world(transactional_db, live_server) -> World:
    """The programme and bodies as `make run` loads them, the cast of conftest.CAST, and a
    deadline on Thành ủy Nha Trang's assignment. Built in Vietnamese, as the app stores it."""
    from conftest import CAST, make_member
    from programme.services import reference_data_load, reference_sources
    from tasks.models import Assignment, ReportingPeriod
    from tasks.services.assignments import assignment_set_deadline

    with translation.override("vi"):
        reference_data_load(sources=reference_sources(), reason="test")
        users = {key: make_member(key) for key in CAST}
        assignment = Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
        )
        assignment = assignment_set_deadline(
            assignment=assignment,
            kind="fixed",
            deadline=timezone.localdate() + timedelta(days=5),
            acting_user=users["reviewer"],
            reason="Giao thời hạn",
        )
    return World(
        users=users,
        assignment=assignment,
        supervision=Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="uy-ban-mttq-tinh", role="supervise"
        ),
        other_assignment=Assignment.objects.filter(
            item__key="III.1.b1.s2", body__code="thanh-uy-cam-ranh"
        ).first()
        or Assignment.objects.filter(body__code="thanh-uy-cam-ranh").first(),
        period=ReportingPeriod.objects.get(code="2026-nam"),
    )


@pytest.fixture(scope="session")
def screenshots_dir():
    """Where the run keeps a screenshot of each main page (the README's visual tour)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
