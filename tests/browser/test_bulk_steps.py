"""The Party Office's bulk step in the browser: a reviewer ticks rows on the assignment list,
sets one deadline with one reason, checks the confirmation page (old → new for each row),
confirms, and finds the new deadlines on the list; an officer sees no tick boxes."""

import pytest
from playwright.sync_api import expect

from tasks.models import Assignment
from tests.browser.support import axe_violations, sign_in, vi

pytestmark = pytest.mark.browser

REASON = "Theo Kết luận của Ban Thường vụ Tỉnh ủy"


def test_a_reviewer_sets_one_deadline_on_the_rows_ticked_on_the_list(world, new_context):
    reviewer = world.users["reviewer"]
    page = new_context(axe=True).new_page()
    sign_in(page, reviewer)
    page.goto("/assignments/?sort=deadline")
    rows = page.locator("table.assignment-table tbody tr")
    expect(rows.first).to_be_visible()
    ticked = [int(rows.nth(n).get_attribute("data-assignment")) for n in range(3)]
    # Sorted by deadline: the one assignment with a deadline comes first.
    assert ticked[0] == world.assignment.pk

    for pk in ticked:
        page.locator(f"#select-{pk}").check()
    page.get_by_role("button", name=vi("Set one deadline")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        vi("Set one deadline on several assignments")
    )
    expect(page.locator("#bulk-rows tbody tr")).to_have_count(3)
    page.locator("#id_deadline").fill("2027-06-30")
    page.locator("#id_reason").fill(REASON)
    page.get_by_role("button", name=vi("Show what will change")).click()

    # The confirmation: each row's old deadline and the new one, and the reason.
    for pk in ticked:
        expect(page.locator(f'#bulk-rows tr[data-assignment="{pk}"] .bulk-new')).to_have_text(
            "→ 30/06/2027"
        )
    expect(
        page.locator(f'#bulk-rows tr[data-assignment="{world.assignment.pk}"] .bulk-old')
    ).to_have_text(world.assignment.deadline.strftime("%d/%m/%Y"))
    expect(page.locator("#bulk-reason")).to_have_text(REASON)
    assert axe_violations(page) == []
    page.locator("#bulk-confirm button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("Đã đặt thời hạn cho 3 phân công.")
    # Back on the list as it was left (sorted by deadline), with the new deadlines.
    assert page.url.endswith("/assignments/?sort=deadline")
    for pk in ticked:
        expect(page.locator(f'tr[data-assignment="{pk}"]')).to_contain_text("30/06/2027")
    changed = Assignment.objects.filter(pk__in=ticked)
    assert {a.deadline.isoformat() for a in changed} == {"2027-06-30"}
    assert (
        Assignment.history.filter(
            id__in=ticked, history_change_reason=REASON, history_user=reviewer
        ).count()
        == 3
    )


def test_an_officer_sees_no_tick_boxes(world, page):
    sign_in(page, world.users["officer"])
    page.goto("/assignments/")

    expect(page.locator("table.assignment-table tbody tr").first).to_be_visible()
    expect(page.locator('input[name="ids"]')).to_have_count(0)
    expect(page.get_by_role("button", name=vi("Set one deadline"))).to_have_count(0)
