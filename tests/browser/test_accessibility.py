"""Accessibility in the browser: axe-core (from npm) finds no serious or critical violation on
any main page; errors are summarised at the top with links that take the keyboard to the
field; every action is reachable by keyboard, with the focus visible. The run keeps a
screenshot of each main page for the README's visual tour (docs/screenshots/)."""

import re
from datetime import datetime, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from notifications.services import reminders_sweep
from tasks.services.findings import finding_record
from tasks.services.reports import ReportData, attachment_add, report_create, report_submit
from tests.browser.support import axe_violations, screenshot, sign_in, vi

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stray_dates(page) -> list[str]:
    """Dates the reader would not expect: ISO dates, English month names, a year first."""
    text = page.locator("main").inner_text()
    return re.findall(
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{4}/\d{1,2}/\d{1,2}\b"
        r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b",
        text,
    )


def _some_work(world) -> None:
    """A submitted report with an attachment, a finding and reminders, so the pages show what
    they show on a working day."""
    officer, leader = world.users["officer"], world.users["leader"]
    report = report_create(
        assignment=world.assignment,
        period=world.period,
        data=ReportData(result="Đã lập quy hoạch cụm công nghiệp.", percent_complete=50),
        acting_user=officer,
    )
    attachment_add(
        report=report, upload=SimpleUploadedFile("ke-hoach.pdf", PDF), acting_user=officer
    )
    report_submit(report=report, acting_user=leader)
    finding_record(
        supervision=world.supervision,
        period=world.period,
        text="Tiến độ chậm.",
        recommendation="Đẩy nhanh giải phóng mặt bằng.",
        acting_user=world.users["supervisor"],
    )
    reminders_sweep(now=timezone.make_aware(datetime.combine(world.assignment.deadline, time(8))))


def test_every_main_page_has_no_serious_accessibility_violation(world, new_context):
    _some_work(world)
    other_assignment = world.other_assignment
    pages = {
        # name: (who, address, the page's main heading)
        "home": ("officer", "/", None),
        "programme": ("officer", "/programmes/nq23/", None),
        "task": ("officer", "/programmes/nq23/items/III.1.b1.s2/", None),
        "assignments": ("officer", "/assignments/", vi("Assignments")),
        "assignment": ("officer", f"/assignments/{world.assignment.pk}/", None),
        "report-form": (
            "officer",
            f"/assignments/{world.assignment.pk}/reports/new/",
            vi("Write a progress report"),
        ),
        "compliance": ("reviewer", "/compliance/", None),
        "periods": ("reviewer", "/periods/", None),
        "notifications": ("officer", "/notifications/", vi("Notifications")),
        "reports": ("supervisor", "/status-reports/", None),
        "search": ("officer", "/search/?q=khanh+hoa", vi("Search")),
    }
    assert other_assignment is not None
    found, dates = {}, {}

    anonymous = new_context(axe=True).new_page()
    anonymous.goto("/accounts/login/")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(vi("Sign in"))
    found["login"] = axe_violations(anonymous)
    screenshot(anonymous, "login")

    signed_in = {}
    for name, (who, url, heading) in pages.items():
        if who not in signed_in:
            signed_in[who] = new_context(axe=True).new_page()
            sign_in(signed_in[who], world.users[who])
        page = signed_in[who]
        page.goto(url)
        main_heading = page.get_by_role("heading", level=1)
        expect(main_heading).to_be_visible()
        if heading:
            expect(main_heading).to_have_text(heading)
        found[name] = axe_violations(page)
        dates[name] = stray_dates(page)
        screenshot(page, name)

    assert {name: v for name, v in found.items() if v} == {}
    assert {name: d for name, d in dates.items() if d} == {}


def test_the_report_form_by_keyboard_with_its_error_summary(world, page):
    """Tab to the form's button and press Enter with the form left empty: the summary of
    problems is at the top and has the focus; its link takes the focus to the field."""
    sign_in(page, world.users["officer"])
    page.goto(f"/assignments/{world.assignment.pk}/reports/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("Write a progress report"))
    save = page.get_by_role("button", name=vi("Save the draft"))

    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if save.evaluate("button => button === document.activeElement"):
            break
    else:
        raise AssertionError("the Save button cannot be reached with the Tab key")
    # The focus is visible: the site's :focus-visible outline is on the button.
    outline = save.evaluate("button => getComputedStyle(button).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text(vi("There is a problem"))
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").filter(has_text=vi("Result achieved")).first
    expect(link).to_have_attribute("href", "#id_result")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_result")).to_be_focused()
    expect(page.locator("#id_result")).to_have_attribute("aria-invalid", "true")
