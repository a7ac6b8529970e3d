"""The one helper that turns `templates/reports/<name>.html` into a PDF with WeasyPrint.

The renderer fetches only the project's own bundled static files (the report stylesheet and the
fonts it names) and `data:` URIs. Anything else, a `file://` path outside the static folder,
`http(s)://`, or any other scheme, is refused by the URL fetcher and logged; WeasyPrint then
leaves the resource out. User text reaches the template only through Django's autoescaping, so
it cannot become markup in the first place: the fetcher is the second wall.
"""

import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC_DIR / "css" / "report.css"
# What a report may load from the static folder: its stylesheet and its fonts.
ALLOWED_SUFFIXES = {".css": "text/css", ".ttf": "font/ttf"}


class FetchRefused(ValueError):
    """The report asked for something outside the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves files under static/ with an allowed suffix, and data: URIs; refuses the rest.
    `refused` keeps what was asked for and refused, for the log and the tests."""

    def __init__(self) -> None:
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)
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

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        root = STATIC_DIR.resolve()
        if root not in path.parents or path.suffix not in ALLOWED_SUFFIXES or not path.is_file():
            return None
        return path


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


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


def render_pdf(
    name: str, context: dict, *, fetcher: StaticOnlyFetcher | None = None
) -> RenderedPdf:
    """Render `templates/reports/<name>.html` in Vietnamese to a PDF."""
    fetcher = fetcher or StaticOnlyFetcher()
    with translation.override("vi"):
        markup = unicodedata.normalize("NFC", render_to_string(f"reports/{name}.html", context))
    css, font_config = _stylesheet(fetcher)
    document = HTML(string=markup, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[css], font_config=font_config
    )
    return RenderedPdf(document.write_pdf(), len(document.pages))
