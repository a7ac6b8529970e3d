"""The matched words of a text marked with <mark>, the rest escaped; a long text cut to an
excerpt around its first match."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from programme.text import fold

_WORD = re.compile(r"[^\W_]+")


def _excerpt_bounds(text: str, first: int, length: int) -> tuple[int, int]:
    start = max(0, first - length // 3)
    end = min(len(text), start + length)
    start = max(0, end - length)
    # Cut at spaces, not within a word.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    return start, end


def highlighted(text: str, words, length: int | None = None) -> SafeString:
    """The text escaped, each word whose folded form is one of `words` (folded) in <mark>; if
    longer than `length`, only the part around the first marked word, with "…" where cut."""
    wanted = set(words)
    spans = [m.span() for m in _WORD.finditer(text) if fold(m.group()) in wanted]
    start, end = 0, len(text)
    if length and len(text) > length:
        start, end = _excerpt_bounds(text, spans[0][0] if spans else 0, length)
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    # Safe: every piece of the text was escaped above.
    return mark_safe("".join(parts))
