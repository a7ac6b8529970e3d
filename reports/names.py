"""File names that say what the file is, in Vietnamese without diacritics:
`bao-cao-giam-sat-dang-doan-hdnd-2026-12-02.pdf`."""

import re
import unicodedata

from accounts.models import Body


def ascii_slug(text: str) -> str:
    """ "Đảng đoàn HĐND" -> "dang-doan-hdnd": diacritics dropped (đ as d), words joined by
    hyphens."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def body_slug(body: Body) -> str:
    """The body's code (already a slug), without the "-tinh" every provincial body ends in."""
    slug = ascii_slug(body.code)
    return slug.removesuffix("-tinh") or slug
