"""The pages on a phone, 390 px wide: nothing runs off the right edge, each table row is a card
with every value under its column's heading (the row's main link first), a word of 600
characters with no space wraps, and axe-core finds no serious or critical violation."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tasks.services.extensions import extension_request
from tasks.services.reports import ReportData, report_create, report_submit
from tests.browser.support import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Typed by someone, with no space: it must wrap, not widen the page.
LONG_WORD = "Quyhoachcumcongnghiep" * 29  # 609 characters

# Every labelled body cell of the data tables: its label as the ::before content, whether that
# label is drawn, and where the label and the cell sit.
CELLS = """() => [...document.querySelectorAll('table.data-table tbody [data-label]')].map(cell => {
  const before = getComputedStyle(cell, '::before');
  const box = cell.getBoundingClientRect();
  return {
    label: cell.dataset.label,
    before: before.content,
    shown: before.display !== 'none' && before.visibility !== 'hidden',
    cellDisplay: getComputedStyle(cell).display,
    first: cell === cell.parentElement.firstElementChild,
    hasLink: !!cell.querySelector('a'),
    left: box.left,
    right: box.right,
  };
})"""


@pytest.fixture
def phone(world, new_context):
    """The officer of Thành ủy Nha Trang on a phone, with a report sent and an extension asked
    with a very long word in its reason."""
    officer, leader = world.users["officer"], world.users["leader"]
    report = report_create(
        assignment=world.assignment,
        period=world.period,
        data=ReportData(result="Đã lập quy hoạch cụm công nghiệp.", percent_complete=50),
        acting_user=officer,
    )
    report_submit(report=report, acting_user=leader)
    extension_request(
        assignment=world.assignment,
        proposed_deadline=world.assignment.deadline + timedelta(days=30),
        reason=LONG_WORD,
        acting_user=leader,
    )
    page = new_context(axe=True).new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, officer)
    return page


def scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.parametrize(
    ("name", "address"),
    [("home", "/"), ("assignments", "/assignments/"), ("assignment", None)],
)
def test_a_page_fits_a_phone_with_its_tables_as_cards(phone, world, name, address):
    page = phone
    page.goto(address or f"/assignments/{world.assignment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert scroll_width(page) <= PHONE["width"]
    cells = page.evaluate(CELLS)
    assert cells, "the page shows no labelled table"
    for cell in cells:
        assert cell["cellDisplay"] == "block", cell
        assert cell["before"] == f'"{cell["label"]}"', cell
        assert cell["shown"], cell
        assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], cell
    # The row's main link comes first.
    firsts = [cell for cell in cells if cell["first"]]
    assert any(cell["hasLink"] for cell in firsts)
    # The column headings are still there for screen readers, not drawn over the cards.
    for heading in page.locator("table.data-table:has(tbody [data-label]) thead").all():
        assert heading.bounding_box()["height"] <= 1
    if name == "assignment":
        expect(page.locator("table.data-table", has_text=LONG_WORD[:40])).to_be_visible()
    assert axe_violations(page) == []
    page.locator("table.data-table:has(tbody [data-label])").first.scroll_into_view_if_needed()
    screenshot(page, f"phone-{name}")


def test_the_bell_without_a_count_leaves_no_gap(world, new_context):
    page = new_context().new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, world.users["other_officer"])  # another body: nothing unread
    bell = page.locator("a.bell")
    expect(bell.locator(".bell__count")).to_have_attribute("data-unread", "0")

    # From the end of the word "Thông báo" to the end of the bell: nothing.
    gap = bell.evaluate(
        """bell => {
          const word = [...bell.children].find(child => child.tagName === 'SPAN'
            && !child.classList.contains('visually-hidden'));
          return bell.getBoundingClientRect().right - word.getBoundingClientRect().right;
        }"""
    )

    assert gap < 1
