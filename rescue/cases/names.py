"""Matching names across spellings. Pure. The original spelling is always kept; keys are derived."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[\-‐‑‒–—'’ʼ`´.,]")


def fold(text: str | None) -> str:
    """NFKC, case-folded, without diacritics or punctuation: 'Nguyễn Thị-Ánh' -> 'nguyen thi anh'."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or _keeps_marks(ch))
    stripped = unicodedata.normalize("NFC", stripped)
    stripped = stripped.replace("đ", "d").replace("ł", "l").replace("ø", "o").replace("ß", "ss")
    stripped = _PUNCTUATION.sub(" ", stripped)
    return _SPACES.sub(" ", stripped).strip()


def _keeps_marks(ch: str) -> bool:
    # Combining marks are vowels and signs in Brahmic and other scripts: removing them changes the name.
    return not ("\u0300" <= ch <= "\u036f")


def search_key(*names: str | None) -> str:
    """Every name of a person folded into one space-separated key, each form once."""
    seen: list[str] = []
    for name in names:
        folded = fold(name)
        if folded and folded not in seen:
            seen.append(folded)
    return " | ".join(seen)
