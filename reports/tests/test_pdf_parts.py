"""A long report laid out on every core: cut into parts between sections, each part rendered
by a child process at the same time, the parts joined. The joined PDF must read exactly as the
same document laid out in one pass, page for page, page numbers included; and it must still
take a signature (test_signing.py)."""

import unicodedata
from io import BytesIO

import pytest
from django.test import override_settings
from pypdf import PdfReader

from reports.build import TEMPLATE, report_document
from reports.models import GeneratedReport
from reports.pdf_process import render_markup
from reports.rendering import (
    PART_MARK,
    StaticOnlyFetcher,
    _stylesheet,
    part_plan,
    pdf_from_markup,
    report_markup,
    split_markup,
)

pytestmark = pytest.mark.django_db


def page_texts(pdf: bytes) -> list[str]:
    return [
        unicodedata.normalize("NFC", page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages
    ]


@pytest.fixture
def markup(report_world) -> str:
    """The markup of the Standing Committee report the report tests build, from the same
    data (sections of every task group, paragraphs people wrote, a finding)."""
    report = GeneratedReport.objects.get(pk=report_world.reports.standing_committee.pk)
    return report_markup(TEMPLATE, {"doc": report_document(report)})


def one_pass(markup: str, parts: int) -> bytes:
    """The document with the page breaks of its parts, laid out in this process in one pass."""
    whole, _ = split_markup(markup, part_plan(markup, parts))
    fetcher = StaticOnlyFetcher()
    css, font_config = _stylesheet(fetcher)
    pdf, _ = render_markup(whole, stylesheet=css, font_config=font_config, fetcher=fetcher)
    return pdf


@override_settings(REPORT_PDF_SPLIT_CHARS=1, REPORT_PDF_PARTS=3)
def test_it_lays_out_a_long_report_in_parts_that_read_as_one_pass(markup):
    rendered = pdf_from_markup(markup, processes=3)
    single = page_texts(one_pass(markup, 3))
    joined = page_texts(rendered.content)

    assert rendered.processes == 3
    assert len(rendered.child_peak_mb) == 3
    assert rendered.page_count == len(joined) == len(single) >= 4
    for number, (alone, together) in enumerate(zip(single, joined, strict=True), start=1):
        assert together == alone, f"page {number} differs"
    # The pages are numbered across the parts from the second page on, as in one pass.
    assert not joined[0].rstrip().endswith("\n1")
    for number, text in enumerate(joined[1:], start=2):
        assert text.rstrip().splitlines()[-1] == str(number)


@override_settings(REPORT_PDF_SPLIT_CHARS=1, REPORT_PDF_PARTS=2)
def test_it_gives_the_same_pages_on_one_core_as_on_two(markup):
    on_one = pdf_from_markup(markup, processes=1)
    on_two = pdf_from_markup(markup, processes=2)

    assert (on_one.processes, on_two.processes) == (1, 2)
    assert page_texts(on_one.content) == page_texts(on_two.content)
    # Each part starts on a page of its own: the title page holds no part of the last section.
    last_heading = markup.rsplit(PART_MARK, 1)[1].split("</h", 1)[0].rsplit(">", 1)[1]
    assert last_heading not in page_texts(on_two.content)[0]


def test_a_short_report_stays_in_one_pass_without_breaks(markup):
    rendered = pdf_from_markup(markup)

    assert rendered.processes == 0
    assert page_texts(rendered.content) == page_texts(one_pass(markup, 1))


def test_it_cuts_at_the_marks_nearest_to_equal_shares():
    markup = "<html><body>" + "".join(f"{PART_MARK}<p>{'x' * 10}</p>" for _ in range(10))
    cuts = part_plan(markup, 2)
    whole, parts = split_markup(markup, cuts)

    assert len(cuts) == 1 and abs(cuts[0] - len(markup) // 2) < 40
    assert len(parts) == 2
    assert all(part.startswith("<html><body>") for part in parts)
    assert whole.count('class="part-break"') == 1
    assert part_plan("<html><body><p>x</p>", 4) == []


@override_settings(REPORT_PDF_SPLIT_CHARS=1, REPORT_PDF_PARTS=2)
def test_a_part_refused_a_file_is_refused_and_logged_by_the_caller(caplog):
    hostile = f'<html><body>{PART_MARK}<p>a</p>{PART_MARK}<img src="file:///etc/passwd"><p>b</p>'
    fetcher = StaticOnlyFetcher()

    rendered = pdf_from_markup(hostile, fetcher=fetcher, processes=2)

    assert rendered.processes == 2
    assert fetcher.refused == ["file:///etc/passwd"]
    assert "refused to fetch file:///etc/passwd" in caplog.text


def _render_in_daemon(markup: str, answers) -> None:
    with override_settings(REPORT_PDF_SPLIT_CHARS=1, REPORT_PDF_PARTS=2):
        rendered = pdf_from_markup(markup, processes=2)
    answers.put((rendered.processes, page_texts(rendered.content)))


def test_a_task_cluster_worker_can_render_in_parts():
    """django-q2 runs jobs in daemonic processes, which multiprocessing forbids to have
    children; the parts are plain subprocesses, so a worker can still start them."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    markup = f"<html><body>{PART_MARK}<p>Phần một</p>{PART_MARK}<p>Phần hai</p></body></html>"
    worker = context.Process(target=_render_in_daemon, args=(markup, answers), daemon=True)
    worker.start()
    processes, texts = answers.get(timeout=120)
    worker.join(timeout=10)

    assert processes == 2
    assert ["Phần một" in texts[0], "Phần hai" in texts[1], texts[1].endswith("2")] == [True] * 3
