"""The renderer fetches only the project's bundled static files and data: URIs; user text is
escaped, so markup typed into a report fetches and attaches nothing."""

from io import BytesIO

import pytest
from django.conf import settings
from pypdf import PdfReader

from reports.build import report_files
from reports.rendering import FetchRefused, StaticOnlyFetcher, render_pdf

from .conftest import HOSTILE, pdf_text

pytestmark = pytest.mark.django_db

STATIC = settings.BASE_DIR / "static"


def _attachments(content: bytes) -> list:
    reader = PdfReader(BytesIO(content))
    names = reader.trailer["/Root"].get("/Names", {})
    annotations = [
        annotation.get_object().get("/Subtype")
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
    ]
    return [*reader.attachments, *(["/EmbeddedFiles"] if "/EmbeddedFiles" in names else [])] + [
        a for a in annotations if a in ("/FileAttachment", "/Link")
    ]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (STATIC / "css" / ".." / ".." / "manage.py").as_uri(),
        (STATIC / "css" / "site.css").as_uri().replace("site.css", "../../config/settings/base.py"),
        "http://example.com/style.css",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "file://evil.example.com/static/css/report.css",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_anything_but_bundled_static_files(url):
    fetcher = StaticOnlyFetcher()

    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_report_stylesheet_fonts_and_data_uris():
    fetcher = StaticOnlyFetcher()
    font = STATIC / "fonts" / "liberation-serif" / "LiberationSerif-Regular.ttf"

    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    assert b"@font-face" in fetcher.fetch((STATIC / "css" / "report.css").as_uri()).read()
    assert fetcher.fetch("data:text/plain,xin%20ch%C3%A0o").read() == "xin chào".encode()
    assert fetcher.refused == []


def test_markup_given_straight_to_the_renderer_fetches_and_attaches_nothing(settings, tmp_path):
    """Even markup that reached the template unescaped (it cannot: this is the second wall)
    loads nothing from outside the static files."""
    fetcher = StaticOnlyFetcher()
    # A new TEMPLATES setting, so Django builds its template engine afresh with the folder.
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "hostile.html").write_text(
        "<html><body><p>Báo cáo</p>"
        + HOSTILE
        + '<a rel="attachment" href="file:///etc/group">x</a>'
        '<img src="https://example.com/a.png"><link rel="stylesheet" href="http://example.com/x.css">'
        "</body></html>"
    )

    rendered = render_pdf("hostile", {}, fetcher=fetcher)

    assert all(url.startswith(STATIC.as_uri()) for url in fetcher.served)
    assert set(fetcher.refused) >= {
        "file:///etc/passwd",
        "file:///etc/hostname",
        "file:///etc/group",
        "https://example.com/a.png",
        "http://example.com/x.css",
    }
    assert _attachments(rendered.content) == []
    assert b"root:" not in rendered.content


def test_report_text_is_escaped_and_fetches_nothing(report_world):
    fetcher = StaticOnlyFetcher()
    report = report_world.reports.standing_committee

    built = report_files(report, fetcher=fetcher)

    assert fetcher.refused == []
    assert all(url.startswith(STATIC.as_uri()) for url in fetcher.served)
    assert _attachments(built.pdf.content) == []
    # The text is printed as typed (table cells may break it anywhere, so spaces are ignored).
    text = "".join("".join(pdf_text(report)).split())
    assert '<imgsrc="file:///etc/passwd">' in text
    assert '<linkrel="attachment"href="file:///etc/hostname">' in text
    assert "https://example.com/anh.png" in text
