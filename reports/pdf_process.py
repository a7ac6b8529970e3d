"""WeasyPrint without Django: the static-only URL fetcher and the rendering of ready markup to
PDF, importable by a fresh interpreter that renders one part of a long report and exits.

`python -m reports.pdf_process` reads a pickled `PartJob` on stdin and writes a pickled
`PartResult` on stdout. Both ends are this module, run by `reports.rendering`; nothing else
writes to the child's stdin. A child is a plain subprocess, not a multiprocessing child, so a
django-q2 worker (a daemonic process, which multiprocessing forbids to have children) can start
it too; and it exits after its part, so the memory WeasyPrint held for the laid-out pages goes
back to the system instead of staying in a long-lived worker.
"""

import logging
import pickle
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("reports.rendering")

# What a report may load from the static folder: its stylesheet and its fonts.
ALLOWED_SUFFIXES = {".css": "text/css", ".ttf": "font/ttf"}
# Parts after the first draw no page numbers of their own: their numbers depend on how many
# pages the parts before them took, which is known only once those are laid out. The parent
# draws them afterwards (rendering.page_numbers), with the same @page rule.
NO_PAGE_NUMBERS = "@page { @top-center { content: none; } }"


class FetchRefused(ValueError):
    """The report asked for something outside the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves files under `static_dir` with an allowed suffix, and data: URIs; refuses the
    rest. `refused` keeps what was asked for and refused, for the log and the tests."""

    def __init__(self, static_dir: Path) -> None:
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.static_dir = Path(static_dir)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._static_path(url)
            if path is not None:
                self.served.append(url)
                return URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": ALLOWED_SUFFIXES[path.suffix]}
                )
        self.refused.append(url)
        logger.warning("Report rendering refused to fetch %s", url[:200])
        raise FetchRefused(f"Not a bundled static file: {url[:200]}")

    def _static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        root = self.static_dir.resolve()
        if root not in path.parents or path.suffix not in ALLOWED_SUFFIXES or not path.is_file():
            return None
        return path


def render_markup(
    markup: str,
    *,
    stylesheet: CSS,
    font_config: FontConfiguration,
    fetcher: StaticOnlyFetcher,
    extra_css: str = "",
) -> tuple[bytes, int]:
    """The PDF of ready markup and its page count."""
    stylesheets = [stylesheet]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, font_config=font_config))
    document = HTML(
        string=markup, base_url=fetcher.static_dir.as_uri() + "/", url_fetcher=fetcher
    ).render(stylesheets=stylesheets, font_config=font_config)
    return document.write_pdf(), len(document.pages)


@dataclass(frozen=True)
class PartJob:
    markup: str
    static_dir: str
    stylesheet: str
    page_numbers: bool


@dataclass
class PartResult:
    pdf: bytes = b""
    page_count: int = 0
    refused: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    peak_mb: float = 0.0
    cpu_seconds: float = 0.0
    error: str = ""


def peak_mb() -> float:
    """This process's peak resident memory in MB since it started its program. Linux keeps
    `ru_maxrss` across fork and exec, so a child started by a big parent would report the
    parent's peak; the high-water mark of its own memory map (VmHWM) starts afresh at exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_part(job: PartJob) -> PartResult:
    """Render one part in this process."""
    fetcher = StaticOnlyFetcher(Path(job.static_dir))
    font_config = FontConfiguration()
    css = CSS(filename=job.stylesheet, font_config=font_config, url_fetcher=fetcher)
    pdf, pages = render_markup(
        job.markup,
        stylesheet=css,
        font_config=font_config,
        fetcher=fetcher,
        extra_css="" if job.page_numbers else NO_PAGE_NUMBERS,
    )
    return PartResult(pdf=pdf, page_count=pages, refused=fetcher.refused, served=fetcher.served)


def main() -> None:
    logging.disable(logging.WARNING)  # refusals are logged by the parent, once
    job = pickle.load(sys.stdin.buffer)
    try:
        result = render_part(job)
    except Exception as error:  # reported to the parent, which raises it there
        result = PartResult(error=f"{type(error).__name__}: {error}")
    result.peak_mb = peak_mb()
    result.cpu_seconds = time.process_time()
    pickle.dump(result, sys.stdout.buffer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    # Run from the module's import name, so that what is pickled names `reports.pdf_process`
    # and not `__main__`.
    from reports.pdf_process import main as run

    run()
