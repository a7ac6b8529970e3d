"""How text sits in a report's page: dates, numbers and citations never break inside
themselves, and the paragraphs people wrote stay paragraphs."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# A date (31/03/2027), a document's number (23-NQ/TW, 45/KH-TU), or a number with its
# separators or a spaced percent sign (1.234,5 / 40 %): the places a line could break inside
# a figure. Plain numbers and citations (III.1) hold together by themselves.
WHOLE = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}"
    r"|\d+[-/][A-ZĐ][A-ZĐa-z0-9Đđ/-]*[A-ZĐ0-9]"
    r"|\d+(?:[.,]\d+)+(?:\s%)?"
    r"|\d+\s%"
)


def keep_whole_text(text: str) -> str:
    """Escape the text and wrap each date, number and citation in a span that does not
    break."""
    parts, last = [], 0
    for match in WHOLE.finditer(text):
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(f'<span class="nobreak">{conditional_escape(match.group())}</span>')
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return "".join(str(p) for p in parts)


@register.filter
def keep_whole(value) -> str:
    return mark_safe(keep_whole_text(str(value)))


@register.filter
def paragraphs(value) -> str:
    """Each line the writer made as a paragraph of its own, its dates and numbers kept
    whole."""
    lines = [line for line in str(value).split("\n") if line.strip()]
    if len(lines) <= 1:
        return keep_whole(value)
    return mark_safe(
        "".join(f'<span class="para">{keep_whole_text(line)}</span>' for line in lines)
    )
