"""Text handling shared by the importer, the models and search.

The document mixes tone placements ("hoá" and "hóa") and people type with or without
diacritics, so search compares a folded form: decomposed, stripped of combining marks,
"đ" read as "d", lower-cased, with whitespace collapsed.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().casefold()
