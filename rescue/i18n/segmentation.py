"""Line-break opportunities for scripts written without spaces between words. Pure (ICU, no Flask).

Khmer, Burmese and Lao have no spaces between words, and Pango (so WeasyPrint) does not break them:
a long line overflows its box. ICU's dictionary-based word break iterator finds the word boundaries;
we mark them with ZERO WIDTH SPACE (U+200B), which breaks a line without showing anything. Thai breaks
correctly through Pango already, so it is left alone."""
from __future__ import annotations

import re
from functools import lru_cache

import icu

ZWSP = "\u200b"
# Khmer (+ symbols), Myanmar (+ extensions A and B), Lao.
_UNSPACED = "\u1780-\u17ff\u19e0-\u19ff\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff\u0e80-\u0eff"
_RUN = re.compile(f"[{_UNSPACED}]+")
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")


@lru_cache(maxsize=1)
def _word_breaker() -> icu.BreakIterator:
    return icu.BreakIterator.createWordInstance(icu.Locale.getRoot())


def _split_run(run: str) -> str:
    breaker = _word_breaker()
    text = icu.UnicodeString(run)  # ICU counts in UTF-16 units; slice the same string it measured
    breaker.setText(text)
    pieces = []
    start = breaker.first()
    for end in breaker:
        pieces.append(str(text[start:end]))
        start = end
    return ZWSP.join(piece for piece in pieces if piece)


def add_break_opportunities(text: str) -> str:
    """Insert U+200B between the words of every Khmer, Burmese or Lao run; other text is unchanged."""
    if not text or not _UNSPACED_CHAR.search(text):
        return text
    return _RUN.sub(lambda match: _split_run(match.group(0)), text)


def strip_break_opportunities(text: str) -> str:
    return text.replace(ZWSP, "")
