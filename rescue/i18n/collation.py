"""Sorting for a reader: each locale's own collation (ICU), not code-point order. Pure."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu

T = TypeVar("T")


@lru_cache(maxsize=32)
def collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(str(locale)))


def sort_for(locale: str, items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    rules = collator(str(locale))
    return sorted(items, key=lambda item: rules.getSortKey(key(item) or ""))


def reader_sort_key(text: str) -> bytes:
    """A sort key in the current reader's collation (inside a request)."""
    from flask_babel import get_locale

    return collator(str(get_locale())).getSortKey(text or "")
