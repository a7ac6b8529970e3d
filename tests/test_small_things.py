"""The smaller things people noticed: one date-time format, file sizes in B/KB/MB, Vietnamese
unless English is chosen, the bell without a count, the icon, one form of address ("đồng
chí"), and the product's own words for the messages of Django's forms."""

import re
import unicodedata
from datetime import datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from conftest import page_text
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.services.reports import ReportData, attachment_add, report_create

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
TEMPLATES = ROOT / "templates"
# The hour before the day: "21:04 02/12/2026", in a template's date filter or in Python.
HOUR_FIRST = re.compile(r"""date:\s*["']H:i(:s)?\s+d/m/Y|%H:%M(:%S)?\s+%d/%m/%Y""")


def render(source: str, language: str = "vi", **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


# One date-time format


def python_sources():
    skipped = {".venv", "node_modules", ".git", "staticfiles"}
    for path in ROOT.rglob("*.py"):
        if not skipped & set(path.relative_to(ROOT).parts):
            yield path


def test_no_template_or_module_writes_the_hour_before_the_day():
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt"), *python_sources()]
        if path != Path(__file__) and HOUR_FIRST.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_time_without_a_format_reads_day_first_in_both_languages(language):
    moment = timezone.make_aware(datetime(2026, 12, 2, 21, 4))

    assert render("{{ moment }}", language, moment=moment) == "02/12/2026 21:04"
    assert render('{{ moment|date:"SHORT_DATETIME_FORMAT" }}', language, moment=moment) == (
        "02/12/2026 21:04"
    )


# File sizes


@pytest.mark.parametrize(
    ("size", "vietnamese", "english"),
    [
        (590, "590 B", "590 B"),
        (1229, "1,2 KB", "1.2 KB"),
        (3565158, "3,4 MB", "3.4 MB"),
        (5 * 1024**3, "5,0 GB", "5.0 GB"),
    ],
)
def test_a_file_size_is_in_the_usual_units(size, vietnamese, english):
    source = "{% load tracking %}{{ size|file_size }}"

    assert render(source, "vi", size=size) == vietnamese
    assert render(source, "en", size=size) == english


@pytest.mark.django_db
def test_the_attachment_list_shows_the_size_in_kilobytes(
    reference_data, officer, client, settings, tmp_path
):
    settings.ATTACHMENTS_ROOT = tmp_path
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    report = report_create(
        assignment=assignment,
        period=ReportingPeriod.objects.get(code="2026-nam"),
        data=ReportData(result="Đã làm.", percent_complete=10),
        acting_user=officer,
    )
    pdf = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"
    attachment_add(
        report=report,
        upload=SimpleUploadedFile("ke-hoach.pdf", pdf, content_type="application/pdf"),
        acting_user=officer,
    )
    client.force_login(officer)

    text = page_text(client.get(reverse("report_detail", args=[report.pk])).content.decode())

    assert "2,0 KB" in text
    assert "byte" not in text


# Vietnamese unless English is chosen


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_the_vietnamese_sign_in_page(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert page.status_code == 200
    assert '<html lang="vi">' in page.content.decode()
    assert "Đăng nhập" in page_text(page.content.decode())


@pytest.mark.django_db
def test_english_chosen_with_the_switcher_stays_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi")

    assert '<html lang="en">' in page.content.decode()
    assert "Sign in" in page_text(page.content.decode())


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="vi">' in page.content.decode()


# The bell


def bell_of(markup: str) -> str:
    return re.search(r'<a class="bell[^"]*".*?</a>', markup, re.S).group(0)


def visible_text(markup: str) -> str:
    """The text a sighted reader sees: what is not inside a visually-hidden element."""
    shown = re.sub(r'<span class="[^"]*visually-hidden[^"]*"[^>]*>.*?</span>', "", markup)
    return " ".join(re.sub(r"<[^>]+>", " ", shown).split())


@pytest.mark.django_db
def test_the_bell_without_a_count_shows_only_its_name(reference_data, officer, client):
    client.force_login(officer)

    bell = bell_of(client.get(reverse("home")).content.decode())

    assert 'data-unread="0"' in bell
    # Nothing but the word takes room: the count is read out, not drawn as an empty pill.
    assert re.search(r'class="bell__count visually-hidden" data-unread="0"', bell)
    assert visible_text(bell) == "Thông báo"
    assert "không có thông báo chưa đọc" in bell  # still said to a screen reader


def test_the_stylesheet_draws_the_count_pill_only_for_a_count():
    css = (ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8")

    assert ".bell__count:not(.visually-hidden) {" in css
    assert not re.search(r"^\.bell__count\s*\{", css, re.M)


# The icon


@pytest.mark.django_db
def test_favicon_ico_answers_with_the_projects_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == f"/{settings.STATIC_URL.strip('/')}/icons/favicon.ico"
    icon = Path(finders.find("icons/favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert Path(finders.find("icons/favicon.svg")).read_text().startswith("<svg")


@pytest.mark.django_db
def test_every_page_names_its_icon(client):
    markup = client.get(reverse("login")).content.decode()

    assert re.search(r'<link rel="icon" href="/static/icons/favicon\.svg"', markup)
    assert re.search(r'<link rel="icon" href="/static/icons/favicon\.ico"', markup)


# One form of address


def test_no_vietnamese_message_calls_the_user_ban():
    ban = re.compile(r"\bbạn\b", re.IGNORECASE)
    offenders = []
    for entry in polib.pofile(str(CATALOGUE)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if ban.search(unicodedata.normalize("NFC", text)):
                offenders.append(entry.msgid)
    for path in [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt")]:
        if ban.search(unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))):
            offenders.append(str(path.relative_to(ROOT)))

    assert offenders == []


def test_the_test_would_catch_ban():
    assert re.search(r"\bbạn\b", "Vai trò của bạn không được xem trang này.", re.IGNORECASE)


# Number and other form messages in the product's words


@pytest.fixture
def report_page(reference_data, officer, client):
    client.force_login(officer)
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    period = ReportingPeriod.objects.get(code="2026-nam")

    def post(**fields):
        data = {"period": period.pk, "result": "Kết quả đã đạt được", **fields}
        return client.post(reverse("report_create", args=[assignment.pk]), data)

    return post


def field_errors(response, name: str) -> str:
    markup = response.content.decode()
    match = re.search(rf'<ul class="field__errors" id="id_{name}_error">(.*?)</ul>', markup, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()) if match else ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"percent_complete": "12.5"},
            "percent_complete",
            "Nhập một số nguyên, không có phần thập phân.",
        ),
        ({"percent_complete": "150"}, "percent_complete", "Giá trị không được lớn hơn 100."),
        ({"percent_complete": "-1"}, "percent_complete", "Giá trị không được nhỏ hơn 0."),
        ({"percent_complete": "50", "result": ""}, "result", "Mục này không được để trống."),
    ],
)
def test_a_refused_number_is_explained_in_the_products_words(report_page, fields, field, message):
    response = report_page(**fields)

    assert response.status_code == 400
    assert field_errors(response, field) == message
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_an_impossible_date_is_explained(reference_data, reviewer, client):
    client.force_login(reviewer)
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )

    response = client.post(
        reverse("assignment_deadline", args=[assignment.pk]),
        {"kind": "fixed", "deadline": "31/02/2027", "reason": "Điều chỉnh"},
    )

    assert response.status_code == 400
    assert field_errors(response, "deadline") == (
        "Ngày không hợp lệ: nhập ngày/tháng/năm, ví dụ 31/12/2026."
    )


def test_a_figure_with_too_many_decimals_is_explained():
    from indicators.forms import FigureForm

    with translation.override("vi"):
        form = FigureForm(data={"year": "2025", "value": "1,23456", "source": "Cục Thống kê"})
        errors = form.errors.get_json_data()

    assert [e["message"] for e in errors["value"]] == [
        "Số này có nhiều nhất 3 chữ số sau dấu thập phân."
    ]


def library_entries() -> list[polib.POEntry]:
    """Our entries for Django's form and validator messages (config/library_messages.py)."""
    return [
        entry
        for entry in polib.pofile(str(CATALOGUE))
        if ("config/library_messages.py", "") in entry.occurrences
    ]


DJANGO_CATALOGUE = Path(translation.__file__).parents[2] / "conf/locale/vi/LC_MESSAGES/django.po"
# What Django's own Vietnamese said: a wrong word, a space before the full stop.
CLUMSY = re.compile(r"\s[.,]$|tổng thể|Đảm bảo|Hãy chắc chắn|tập tin")


def test_each_form_message_has_our_words():
    assert len(library_entries()) >= 20


@pytest.mark.parametrize("entry", library_entries(), ids=lambda entry: entry.msgid[:40])
def test_our_catalogue_wins_over_djangos_for_each_form_message(entry):
    with translation.override("vi"):
        if entry.msgid_plural:
            shown = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            ours = entry.msgstr_plural[0]
        else:
            shown, ours = gettext(entry.msgid), entry.msgstr

    # Still a message Django shows (else our entry would override nothing).
    assert entry.msgid in {e.msgid for e in polib.pofile(str(DJANGO_CATALOGUE))}
    assert shown == ours
    assert not CLUMSY.search(shown)


# English names


@pytest.mark.django_db
def test_the_english_filters_name_periods_and_task_groups_in_english(
    reference_data, officer, client
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)

    markup = client.get(reverse("assignment_list")).content.decode()
    group_options = re.search(r'<select name="group".*?</select>', markup, re.S).group(0)
    period_options = re.search(r'<select name="period".*?</select>', markup, re.S).group(0)

    assert "III.7 — Management policies" in group_options
    assert "Chính sách" not in group_options
    assert "Annual review 2026 (" in period_options
    assert "Six-month review, first half of 2026 (" in period_options
    assert "Final review of the action programme (2018 - 2030) (" in period_options
    assert "Tổng kết" not in period_options and "Sơ kết" not in period_options


@pytest.mark.django_db
def test_the_vietnamese_filters_keep_the_stored_names(reference_data, officer, client):
    client.force_login(officer)

    markup = client.get(reverse("assignment_list")).content.decode()

    assert "III.7 — Chính sách về quản lý" in markup
    assert "Tổng kết năm 2026 (" in markup


@pytest.mark.django_db
def test_a_recurring_duty_has_one_name_in_both_columns(reference_data, officer, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)

    text = page_text(client.get(reverse("assignment_list")).content.decode())

    assert "Recurring duty" in text
    assert "Ongoing duty" not in text
