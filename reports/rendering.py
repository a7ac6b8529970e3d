"""The one helper that turns `templates/reports/<name>.html` into a PDF with WeasyPrint.

The renderer fetches only the project's own bundled static files (the report stylesheet and the
fonts it names) and `data:` URIs. Anything else, a `file://` path outside the static folder,
`http(s)://`, or any other scheme, is refused by the URL fetcher and logged; WeasyPrint then
leaves the resource out. User text reaches the template only through Django's autoescaping, so
it cannot become markup in the first place: the fetcher is the second wall.

A long report is laid out on every core. WeasyPrint lays out on one thread, so the markup is cut
into `REPORT_PDF_PARTS` parts at the places the template marks (`<!--pdf-part-->`, between two
sections), each part starting on a new page; each part is rendered by a fresh interpreter
(`reports.pdf_process`) at the same time as the others, and the parts are joined with pypdf.
The page numbers of the parts after the first are drawn afterwards, once the pages before them
are counted. The page breaks at the cuts belong to the document, not to the machine: the same
report has the same pages whether its parts were rendered on one core or on several. Short
reports are rendered in the calling process, as a child would cost more than it saves.
"""

import logging
import os
import pickle
import subprocess
import sys
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from . import pdf_process
from .pdf_process import FetchRefused, PartJob, PartResult, render_markup

__all__ = ["FetchRefused", "RenderedPdf", "StaticOnlyFetcher", "render_pdf"]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC_DIR / "css" / "report.css"
ALLOWED_SUFFIXES = pdf_process.ALLOWED_SUFFIXES
# Where a template allows a report to be cut into parts; a cut becomes a page break.
PART_MARK = "<!--pdf-part-->"
PART_BREAK = '<div class="part-break"></div>'


class StaticOnlyFetcher(pdf_process.StaticOnlyFetcher):
    """Serves files under static/ with an allowed suffix, and data: URIs; refuses the rest.
    `refused` keeps what was asked for and refused, for the log and the tests."""

    def __init__(self) -> None:
        super().__init__(STATIC_DIR)


class PartFailed(RuntimeError):
    """A child process could not render its part of a report."""


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int
    # How it was rendered: the processes that laid it out (0: this one), and each child's
    # peak memory in MB, for the benchmark.
    processes: int = 0
    child_peak_mb: tuple[float, ...] = ()
    child_cpu_seconds: tuple[float, ...] = ()


_warm = threading.local()


def _stylesheet(fetcher: StaticOnlyFetcher) -> tuple[CSS, FontConfiguration]:
    """The report stylesheet with its fonts loaded, once per worker thread: a warm worker
    skips parsing it and registering the fonts again."""
    cached = getattr(_warm, "stylesheet", None)
    if cached is None:
        font_config = FontConfiguration()
        css = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher)
        cached = _warm.stylesheet = (css, font_config)
    return cached


def report_markup(name: str, context: dict) -> str:
    """`templates/reports/<name>.html` in Vietnamese, NFC."""
    with translation.override("vi"):
        return unicodedata.normalize("NFC", render_to_string(f"reports/{name}.html", context))


def part_plan(markup: str, parts: int) -> list[int]:
    """Where to cut the markup into `parts` parts of about equal length: the offsets of the
    chosen marks, nearest to each equal share. Fewer cuts when there are fewer marks."""
    marks, start = [], markup.find(PART_MARK)
    while start != -1:
        marks.append(start)
        start = markup.find(PART_MARK, start + 1)
    cuts: list[int] = []
    for share in range(1, parts):
        target = len(markup) * share // parts
        candidates = [m for m in marks if not cuts or m > cuts[-1]]
        if not candidates:
            break
        cuts.append(min(candidates, key=lambda m: abs(m - target)))
    return cuts


def split_markup(markup: str, cuts: list[int]) -> tuple[str, list[str]]:
    """The whole document with a page break at each cut, and the parts it is cut into: each
    part a document of its own, with the same head, starting with its page break."""
    whole, pieces, previous = [], [], 0
    for cut in [*cuts, len(markup)]:
        pieces.append(markup[previous:cut])
        previous = cut + len(PART_MARK) if cut < len(markup) else cut
    whole = PART_BREAK.join(pieces)
    body = markup.find("<body>")
    head = markup[: body + len("<body>")]
    parts = [pieces[0] + "</body></html>"] if cuts else [markup]
    for index, piece in enumerate(pieces[1:], start=1):
        ending = "" if index == len(pieces) - 1 else "</body></html>"
        parts.append(head + PART_BREAK + piece + ending)
    return whole, parts


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _start_child(job: PartJob) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "reports.pdf_process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=settings.BASE_DIR,
    )


def _child_result(child: subprocess.Popen, job: PartJob) -> PartResult:
    try:
        out, err = child.communicate(pickle.dumps(job), timeout=settings.REPORT_BUILD_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        child.kill()
        child.communicate()
        raise PartFailed("the PDF renderer took longer than the time limit") from error
    if child.returncode != 0 or not out:
        raise PartFailed(f"the PDF renderer exited with {child.returncode}: {err[-500:]!r}")
    # Our own child's answer, on its own pipe.
    result = pickle.loads(out)
    if result.error:
        raise PartFailed(result.error)
    return result


def _render_in_children(jobs: list[PartJob], processes: int) -> list[PartResult]:
    """Each job in a fresh interpreter, `processes` at a time; a thread per child serves its
    pipes, so that a full pipe of one child never holds up another."""
    with ThreadPoolExecutor(max_workers=processes) as pool:
        return list(pool.map(lambda job: _child_result(_start_child(job), job), jobs))


def page_numbers(first: int, count: int) -> bytes:
    """`count` blank pages numbered from `first`, drawn as the report's stylesheet draws its
    page numbers: laid over a part's pages once the pages before it are counted."""
    fetcher = StaticOnlyFetcher()
    css, font_config = _stylesheet(fetcher)
    markup = "<!DOCTYPE html><html><body>" + '<div class="part-break"></div>' * count
    restart = (
        f"@page :first {{ counter-reset: page {first}; @top-center {{ content: counter(page); }} }}"
    )
    pdf, pages = render_markup(
        markup + "</body></html>",
        stylesheet=css,
        font_config=font_config,
        fetcher=fetcher,
        extra_css=restart,
    )
    assert pages == count, (pages, count)
    return pdf


def merge_parts(results: list[PartResult]) -> bytes:
    """The parts as one PDF, the pages after the first part numbered on."""
    writer = PdfWriter()
    first = PdfReader(BytesIO(results[0].pdf))
    writer.append(first)
    for result in results[1:]:
        start = len(writer.pages)
        writer.append(PdfReader(BytesIO(result.pdf)))
        numbers = PdfReader(BytesIO(page_numbers(start + 1, result.page_count)))
        for page, number in zip(writer.pages[start:], numbers.pages, strict=True):
            page.merge_page(number)
    if first.metadata:
        writer.add_metadata(dict(first.metadata))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_from_markup(
    markup: str, *, fetcher: StaticOnlyFetcher | None = None, processes: int | None = None
) -> RenderedPdf:
    """The PDF of a report's markup: in this process when it is short, otherwise cut into
    parts rendered by `processes` children at once (the available cores by default)."""
    fetcher = fetcher or StaticOnlyFetcher()
    parts = settings.REPORT_PDF_PARTS
    if parts < 2 or len(markup) < settings.REPORT_PDF_SPLIT_CHARS:
        css, font_config = _stylesheet(fetcher)
        pdf, pages = render_markup(markup, stylesheet=css, font_config=font_config, fetcher=fetcher)
        return RenderedPdf(pdf, pages)
    whole, pieces = split_markup(markup, part_plan(markup, parts))
    processes = max(1, min(processes or available_cores(), len(pieces)))
    if processes == 1:
        # One core: the whole document in one child, with the same page breaks, so that the
        # worker gives the memory of the laid-out pages back when the child exits.
        jobs = [PartJob(whole, str(STATIC_DIR), str(STYLESHEET), page_numbers=True)]
    else:
        jobs = [
            PartJob(piece, str(STATIC_DIR), str(STYLESHEET), page_numbers=index == 0)
            for index, piece in enumerate(pieces)
        ]
    results = _render_in_children(jobs, processes)
    for result in results:
        for url in result.refused:
            logger.warning("Report rendering refused to fetch %s", url[:200])
        fetcher.refused.extend(result.refused)
        fetcher.served.extend(result.served)
    content = results[0].pdf if len(results) == 1 else merge_parts(results)
    return RenderedPdf(
        content,
        sum(result.page_count for result in results),
        processes=processes,
        child_peak_mb=tuple(result.peak_mb for result in results),
        child_cpu_seconds=tuple(result.cpu_seconds for result in results),
    )


def render_pdf(
    name: str, context: dict, *, fetcher: StaticOnlyFetcher | None = None
) -> RenderedPdf:
    """Render `templates/reports/<name>.html` in Vietnamese to a PDF."""
    return pdf_from_markup(report_markup(name, context), fetcher=fetcher)
