"""How search reads text: words folded alike whatever the tones, and document numbers.

The programme and the reports are Vietnamese, typed with or without diacritics and with either
tone placement ("hoá", "hóa"); a word is compared in its folded form (`programme.text.fold`:
tones and marks dropped, "đ" read as "d", lower case). A word is a run of letters and digits,
as PostgreSQL's parser reads one, so punctuation between words does not break a phrase.

On SQLite, `search_fold(text, ...)` and `search_key(number)` are registered on every
connection and do in SQL what these functions do here; PostgreSQL does the same with the
`vi_unaccent` text search configuration and built-in string functions (see `engine.py`).
"""

import re
from functools import lru_cache

from programme.text import fold, nfc

_WORD = re.compile(r"[^\W_]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
# At most this many distinct words of a query are looked for; the rest are ignored, so a
# 200-character query costs no more than a short one.
MAX_WORDS = 16


def words_of(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text or ""))


def query_terms(query: str) -> list[str]:
    """What a query looks for, in the order typed, at most MAX_WORDS: each folded word, except
    that a token holding a digit and several words ("23-NQ/TW", "45-KH/TU") is one term, its
    words in order, since "tu" alone would find every "từ", "tư" and "tự" of the text."""
    terms = []
    for token in nfc(query).split():
        words = words_of(token)
        if len(words) > 1 and any(ch.isdigit() for ch in token):
            terms.append(" ".join(words))
        else:
            terms.extend(words)
    return list(dict.fromkeys(terms))[:MAX_WORDS]


def folded_words(*texts: str | None) -> str:
    """The folded words of the texts, each between spaces, so that " word " and " two words "
    match whole words only."""
    words = [word for text in texts if text for word in words_of(text)]
    return f" {' '.join(words)} " if words else ""


def document_key(number: str) -> str:
    """A document number reduced to its letters and digits, folded: "45-KH/TU", "45-kh/tu" and
    "45-KHTU" are one key, and "QĐ" reads "qd"."""
    return _NOT_ALNUM.sub("", fold(number or ""))


def document_keys(query: str) -> set[str]:
    """The keys a query may name a cited document by: the whole query and each of its
    space-separated tokens, those that hold a digit (every document number starts with one)."""
    candidates = [query, *query.split()]
    keys = {document_key(nfc(candidate)) for candidate in candidates}
    return {key for key in keys if any(ch.isdigit() for ch in key)}


# SQLite calls the function once for each condition that names the folded text (a dozen per
# row for a long query), with the same arguments: fold each row once.
_folded_words_cached = lru_cache(maxsize=2048)(folded_words)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: gives each SQLite connection the folding that PostgreSQL
    does with unaccent. Registers functions on the connection; runs no query."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "search_fold", -1, _folded_words_cached, deterministic=True
        )
        connection.connection.create_function("search_key", 1, document_key, deterministic=True)
