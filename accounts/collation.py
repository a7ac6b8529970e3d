"""Names in Vietnamese alphabetical order, on PostgreSQL and SQLite alike.

The Vietnamese alphabet puts each letter with a modifier after its base letter (a, ă, â, b, c,
d, đ, e, ê, …, o, ô, ơ, …, u, ư, …), so a byte or code-point order files "Đông" after "Zô" and a
plain locale order files "đ" with "d". Tones (huyền, hỏi, ngã, sắc, nặng) only decide between
words that are otherwise equal, and then lower case comes before upper case.

PostgreSQL has ICU's Vietnamese collation built in, named `vi-x-icu`; on SQLite a collation
of that name is registered on every connection (`register_sqlite_collation`, connected in
AccountsConfig.ready) and implemented here, following the order ICU gives. `collated(field)`
is the ordering expression for both.
"""

import unicodedata
from functools import lru_cache

from django.db.models.functions import Collate

COLLATION = "vi-x-icu"

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Marks that make a letter of the alphabet (ă, â, ê, ô, ơ, ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# The tones in ICU's order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Primary classes, as ICU orders them: spaces and punctuation, digits, letters, the rest.
_SPACE, _DIGIT, _LETTER, _OTHER = range(4)


def _graphemes(text: str):
    """Each base character with the combining marks that follow it, from the NFD form."""
    base, marks = None, []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and base is not None:
            marks.append(char)
            continue
        if base is not None:
            yield base, marks
        base, marks = char, []
    if base is not None:
        yield base, marks


@lru_cache(maxsize=4096)
def vi_sort_key(text: str) -> tuple:
    """The key that sorts text in Vietnamese order: letters first, then tones, then case."""
    primary, secondary, tertiary = [], [], []
    for base, marks in _graphemes(text or ""):
        letter_marks = "".join(m for m in marks if m in _LETTER_MARKS)
        other_marks = [m for m in marks if m not in _LETTER_MARKS]
        letter = unicodedata.normalize("NFC", base.lower() + letter_marks)
        if letter in _LETTER_RANK:
            primary.append((_LETTER, _LETTER_RANK[letter]))
        elif base.isdigit():
            primary.append((_DIGIT, unicodedata.digit(base, 0)))
        elif base.isspace() or unicodedata.category(base).startswith("P"):
            primary.append((_SPACE, ord(base)))
        else:
            primary.append((_OTHER, ord(letter[0]) if letter else ord(base)))
        secondary.append(tuple(_TONE_RANK.get(m, 10 + ord(m)) for m in other_marks))
        tertiary.append(0 if base == base.lower() else 1)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def vi_compare(left: str, right: str) -> int:
    """SQLite's collation callback: negative, zero or positive."""
    a, b = vi_sort_key(left), vi_sort_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """connection_created receiver: gives each SQLite connection the collation PostgreSQL
    has built in. Registers a function on the connection; runs no query."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, vi_compare)


def collated(field: str) -> Collate:
    """An ordering (or annotation) of a text field in Vietnamese order, on either database."""
    return Collate(field, COLLATION)
