"""Matching names across spellings and scripts. Pure. The original spelling is always kept; keys are derived."""
from __future__ import annotations

import re
import unicodedata

from rescue.i18n.transliteration import is_latin, to_latin

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


def forms(name: str | None) -> list[str]:
    """The forms a name is matched by: as written (folded) and, for other scripts, in Latin letters."""
    folded = fold(name)
    if not folded:
        return []
    result = [folded]
    if not is_latin(folded):
        latin = to_latin(name)
        if latin and latin not in result:
            result.append(latin)
    return result


def search_key(*names: str | None) -> str:
    """Every name of a person, in every form, in one key, each form once."""
    seen: list[str] = []
    for name in names:
        for form in forms(name):
            if form not in seen:
                seen.append(form)
    return " | ".join(seen)
