"""The main journeys, in Chromium against the live server, each step checked by what the
person sees: signing in and out; a report drafted with an attachment, submitted, returned,
revised, resubmitted and accepted; a supervisor's finding and oversight report; a reminder in
the bell; another body's user refused; search with and without diacritics."""

import re
import unicodedata
from datetime import datetime, time
from io import BytesIO

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from notifications.models import Reminder
from notifications.services import reminders_sweep
from reports.models import GeneratedReport, GeneratedReportKind, GeneratedReportState
from tasks.models import ProgressReport
from tests.browser.support import sign_in, sign_out, vi

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
State = ProgressReport.State


def message(page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def state(page, choice) -> None:
    expect(page.locator(".report-state .tag")).to_have_text(vi(choice.label))


def test_it_signs_in_and_out(world, page):
    officer = world.users["officer"]
    page.goto("/")
    # Not signed in: the sign-in page, in Vietnamese.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1, name=vi("Sign in"))).to_be_visible()

    # A wrong password is refused, with the error summary at the top.
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill("not-the-password")
    page.locator("form.sign-in__form").get_by_role("button", name=vi("Sign in")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary h2")).to_have_text(vi("There is a problem"))

    sign_in(page, officer)
    expect(page.get_by_role("navigation", name=vi("Main navigation"))).to_be_visible()
    expect(page.locator(".site-user__memberships")).to_contain_text("Thành ủy Nha Trang")

    sign_out(page)
    page.goto("/assignments/")
    expect(page.get_by_role("heading", level=1, name=vi("Sign in"))).to_be_visible()


def test_a_report_goes_from_draft_to_accepted_through_a_return(world, new_context):
    """Journeys 2 to 4: the officer drafts with an attachment, the leader submits, the Party
    Office returns it with a reason, the officer revises, the leader resubmits, the Party
    Office accepts. Three people, each at their own browser."""
    officer = new_context().new_page()
    leader = new_context().new_page()
    reviewer = new_context().new_page()
    sign_in(officer, world.users["officer"])
    sign_in(leader, world.users["leader"])
    sign_in(reviewer, world.users["reviewer"])

    # 2. The officer drafts the report from the assignment's page ...
    officer.goto(f"/assignments/{world.assignment.pk}/")
    officer.get_by_role("link", name=re.compile(re.escape(world.period.name))).first.click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(vi("Write a progress report"))
    officer.locator("#id_result").fill("Đã lập quy hoạch cụm công nghiệp Diên Phú.")
    officer.locator("#id_percent_complete").fill("40")
    officer.locator("#id_difficulties").fill("Thiếu mặt bằng sạch.")
    officer.get_by_role("button", name=vi("Save the draft")).click()
    message(officer, vi("The draft report was saved."))
    state(officer, State.DRAFT)
    expect(officer.locator(".report-result")).to_have_text(
        "Đã lập quy hoạch cụm công nghiệp Diên Phú."
    )
    report_url = officer.url
    # ... attaches the plan ...
    officer.locator("#id_file").set_input_files(
        files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    officer.get_by_role("button", name=vi("Attach the file")).click()
    expect(officer.locator(".report-attachments")).to_contain_text("ke-hoach.pdf")
    # ... and may not submit it: that is the leader's.
    expect(officer.get_by_role("link", name=vi("Submit to the Party Office"))).to_have_count(0)

    # The leader submits it.
    leader.goto(report_url)
    state(leader, State.DRAFT)
    expect(leader.locator(".report-attachments")).to_contain_text("ke-hoach.pdf")
    leader.get_by_role("link", name=vi("Submit to the Party Office")).click()
    # Submitting locks the report: the leader is asked first.
    expect(leader.locator("main")).to_contain_text(
        vi(
            "Once submitted, the report can no longer be changed by your body unless the Party "
            "Office returns it."
        )
    )
    leader.get_by_role("button", name=vi("Submit to the Party Office")).click()
    message(leader, vi("The report was submitted to the Party Office."))
    state(leader, State.SUBMITTED)
    expect(leader.locator(".report-submitted")).to_contain_text(world.users["leader"].full_name)

    # 3. The Party Office returns it with a reason.
    reviewer.goto(report_url)
    state(reviewer, State.SUBMITTED)
    reviewer.get_by_role("link", name=vi("Return the report")).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(
        vi("Return the report to the body")
    )
    reviewer.locator("#id_reason").fill("Bổ sung số liệu vốn đầu tư.")
    reviewer.get_by_role("button", name=vi("Return the report")).click()
    message(reviewer, vi("The report was returned to the body."))
    state(reviewer, State.RETURNED)

    # The officer sees the reason and revises.
    officer.goto(report_url)
    state(officer, State.RETURNED)
    expect(officer.locator(".report-return-reason")).to_contain_text("Bổ sung số liệu vốn đầu tư.")
    officer.get_by_role("link", name=vi("Revise the report")).click()
    expect(officer.locator(".report-return-reason")).to_contain_text("Bổ sung số liệu vốn đầu tư.")
    expect(officer.locator("#id_result")).to_have_value(
        "Đã lập quy hoạch cụm công nghiệp Diên Phú."
    )
    officer.locator("#id_result").fill(
        "Đã lập quy hoạch cụm công nghiệp Diên Phú; vốn đầu tư 120 tỷ đồng."
    )
    officer.locator("#id_percent_complete").fill("60")
    officer.get_by_role("button", name=vi("Save the report")).click()
    message(officer, vi("The report was saved."))
    expect(officer.locator(".report-result")).to_contain_text("vốn đầu tư 120 tỷ đồng")
    expect(officer.locator(".report-percent")).to_have_text("60%")

    # 4. The leader resubmits; the Party Office accepts.
    leader.goto(report_url)
    leader.get_by_role("link", name=vi("Resubmit to the Party Office")).click()
    leader.get_by_role("button", name=vi("Resubmit to the Party Office")).click()
    message(leader, vi("The report was submitted to the Party Office."))
    state(leader, State.SUBMITTED)

    reviewer.goto(report_url)
    expect(reviewer.locator(".report-result")).to_contain_text("vốn đầu tư 120 tỷ đồng")
    reviewer.get_by_role("link", name=vi("Accept the report")).click()
    reviewer.get_by_role("button", name=vi("Accept the report")).click()
    message(reviewer, vi("The report was accepted."))
    state(reviewer, State.ACCEPTED)
    expect(reviewer.locator(".report-reviewed")).to_contain_text(world.users["reviewer"].full_name)
    expect(reviewer.locator(".report-actions")).to_have_count(0)

    # Accepted is locked: the officer is no longer offered to revise it.
    officer.goto(report_url)
    state(officer, State.ACCEPTED)
    expect(officer.get_by_role("link", name=vi("Revise the report"))).to_have_count(0)


def test_a_supervisor_records_a_finding_and_downloads_an_oversight_report(world, page):
    supervisor = world.users["supervisor"]
    body = world.supervision.body
    sign_in(page, supervisor)

    page.goto(f"/assignments/{world.supervision.pk}/")
    page.get_by_role("link", name=vi("Record a finding")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("Record a supervision finding"))
    page.locator("#id_period").select_option(label=world.period.name)
    page.locator("#id_text").fill("Tiến độ giải phóng mặt bằng chậm.")
    page.locator("#id_recommendation").fill("Đẩy nhanh giải phóng mặt bằng.")
    page.get_by_role("button", name=vi("Record the finding")).click()
    message(page, vi("The finding was recorded."))
    expect(page.locator("main")).to_contain_text("Tiến độ giải phóng mặt bằng chậm.")

    # The oversight report: asked for on the Reports pages, built by the task cluster's job
    # (run here in the test, as the cluster would), then downloaded.
    page.get_by_role("navigation", name=vi("Main navigation")).get_by_role(
        "link", name=vi("Summary reports (PDF)"), exact=True
    ).click()
    page.get_by_role("link", name=vi("Ask for a report")).first.click()
    page.locator("#id_kind").select_option("oversight")
    page.locator("#id_period").select_option(str(world.period.pk))
    page.locator("#id_body").select_option(str(body.pk))
    page.get_by_role("button", name=vi("Build the report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        vi(GeneratedReportKind.OVERSIGHT.label)
    )
    expect(page.locator("#report-state")).to_have_text(vi(GeneratedReportState.QUEUED.label))

    from reports.jobs import report_build

    report = GeneratedReport.objects.get(kind="oversight", body=body)
    report_build(report.pk)
    # No reload by hand: while a report is pending its page reloads itself every few seconds
    # (a Refresh header, no script), and a second reload would race it.
    expect(page.locator("#report-state")).to_have_text(
        vi(GeneratedReportState.DONE.label), timeout=30_000
    )
    with page.expect_download() as download_info:
        page.locator("main").get_by_role("link", name=re.compile("PDF")).click()
    download = download_info.value
    with open(download.path(), "rb") as downloaded:
        content = downloaded.read()
    assert content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    assert body.name in text
    # The dateline as Party documents write it: "ngày 05 tháng 02 năm 2026".
    assert re.search(r"ngày \d{2} tháng (0[12]|1[0-2]|[3-9]) năm 20\d{2}", text), text[:500]
    assert "Tiến độ giải phóng mặt bằng chậm." in text


def test_a_reminder_appears_in_the_bell(world, page):
    officer = world.users["officer"]
    sign_in(page, officer)
    bell = page.locator("a.bell")
    expect(bell.locator(".bell__count")).to_have_attribute("data-unread", "0")

    # The sweep of the deadline's morning, as the task cluster runs it every hour.
    deadline = world.assignment.deadline
    reminders_sweep(now=timezone.make_aware(datetime.combine(deadline, time(8))))
    unread = Reminder.objects.filter(recipient=officer, read_at__isnull=True).count()
    assert unread >= 1

    page.reload()
    expect(bell.locator(".bell__count")).to_have_attribute("data-unread", str(unread))
    expect(bell.locator(".bell__count")).to_contain_text(str(unread))
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("Notifications"))
    expect(page.locator(".notification--unread")).to_have_count(unread)
    for reminder in Reminder.objects.filter(recipient=officer).select_related("assignment__item"):
        item = page.locator(f".notification[data-reminder='{reminder.pk}']")
        # Cited as people read it ("III.10, gạch đầu dòng thứ 1"), not by its key.
        with translation.override("vi"):
            citation = reminder.assignment.item.citation
        expect(item).to_contain_text(citation)
        expect(item).not_to_contain_text(reminder.assignment.item.key)
        expect(item).to_contain_text(reminder.deadline.strftime("%d/%m/%Y"))
        expect(item).to_contain_text(vi("Unread"))
    mine = page.locator(".notification").filter(
        has=page.locator(f"a[href='/assignments/{world.assignment.pk}/']")
    )
    expect(mine.first).to_contain_text("Thành ủy Nha Trang")
    expect(mine.filter(has_text=vi("Due today")).first).to_be_visible()

    page.get_by_role("button", name=vi("Mark all as read")).click()
    expect(bell.locator(".bell__count")).to_have_attribute("data-unread", "0")


def test_a_user_of_another_body_cannot_reach_any_of_it(world, page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tasks.services.reports import ReportData, attachment_add, report_create

    report = report_create(
        assignment=world.assignment,
        period=world.period,
        data=ReportData(result="Bản nháp của Nha Trang.", percent_complete=20),
        acting_user=world.users["officer"],
    )
    attachment = attachment_add(
        report=report,
        upload=SimpleUploadedFile("ke-hoach.pdf", PDF),
        acting_user=world.users["officer"],
    )
    sign_in(page, world.users["other_officer"])
    not_found = vi("Page not found")
    for url in [
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/edit/",
        f"/reports/{report.pk}/history/",
        f"/attachments/{attachment.pk}/",
        f"/assignments/{world.assignment.pk}/reports/new/",
    ]:
        response = page.goto(url)
        assert response.status in (403, 404), url
        expect(page.get_by_role("heading", level=1)).to_have_text(
            not_found if response.status == 404 else vi("Access refused")
        )
        expect(page.locator("main")).not_to_contain_text("Bản nháp của Nha Trang.")
    # Nor is the draft offered anywhere the other officer may go.
    page.goto("/assignments/")
    expect(page.locator("main")).not_to_contain_text("Bản nháp của Nha Trang.")


def test_search_finds_khanh_hoa_with_and_without_diacritics(world, page):
    sign_in(page, world.users["officer"])
    counts = {}
    for query in ["khanh hoa", "Khánh Hòa"]:
        search = page.get_by_role("search")
        search.get_by_role("searchbox").fill(query)
        search.get_by_role("searchbox").press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(vi("Search"))
        results = page.locator(".item-list > li")
        expect(results.first).to_contain_text("Khánh Hòa")
        counts[query] = results.count()
    assert counts["khanh hoa"] == counts["Khánh Hòa"] > 0


def test_a_locked_out_officer_is_let_back_in_by_the_administrator(world, new_context, settings):
    settings.AXES_ENABLED = True
    officer, administrator = world.users["officer"], world.users["administrator"]

    guesser = new_context().new_page()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.goto("/accounts/login/")
        guesser.locator("#id_username").fill(officer.username)
        guesser.locator("#id_password").fill("sai-mat-khau")
        guesser.locator("form.sign-in__form").get_by_role("button", name=vi("Sign in")).click()
    expect(guesser.get_by_role("heading", level=1)).to_have_text(vi("Account locked"))

    admin = new_context().new_page()
    sign_in(admin, administrator)
    # The header's link (the administrator's desk also counts the lockouts, with a link).
    expect(admin.locator('[data-count="lockouts"]')).to_contain_text("1")
    admin.get_by_role("link", name=vi("Sign-in lockouts"), exact=True).click()
    row = admin.locator("tr", has_text=officer.username)
    expect(row).to_contain_text(officer.display_name)
    expect(row).to_contain_text("127.0.0.1")
    row.get_by_role("button", name=vi("Lift the lockout")).click()
    message(admin, officer.username)
    expect(admin.locator("tr", has_text=officer.username)).to_have_count(0)

    sign_in(guesser, officer)
