"""Latin forms of text in any script, for search and duplicate detection. Pure (ICU and anyascii, no
Flask). The original spelling is always kept; a Latin form is derived from it and never shown as the name.

ICU's Any-Latin covers Thai, Burmese, Han, Hangul, Arabic, Cyrillic, Devanagari and Vietnamese
diacritics; it leaves Khmer, Lao, Sinhala and a few others unchanged, and anyascii covers those."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu
from anyascii import anyascii

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def _any_latin() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def to_latin(text: str | None) -> str:
    """Lower-case ASCII letters and digits, words separated by one space: 'សុខ ដារ៉ា' -> 'sokh dara'."""
    if not text:
        return ""
    # NFC, not NFKC: compatibility decomposition splits Lao and Thai vowel signs (ຳ, ำ) and misleads anyascii.
    text = unicodedata.normalize("NFC", text)
    latin = anyascii(_any_latin().transliterate(text)).lower()
    return _NOT_ALNUM.sub(" ", latin).strip()


def is_latin(text: str) -> bool:
    """True when every letter of `text` is a Latin letter (with or without diacritics)."""
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)
