"""Parts of a page contributed by other capabilities. A page names itself ("cases.list"); a capability above
it registers a builder for a named part (the batch-print form, a filter's choices); the page gathers the parts
by name into its template's context without importing whoever contributed them."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

_PARTS: dict[str, dict[str, Callable[..., object]]] = defaultdict(dict)


def contribute(page: str, name: str, build: Callable[..., object]) -> None:
    """`build(**context)` gives the part named `name` of `page` (None when the reader gets nothing)."""
    _PARTS[page][name] = build


def gather(page: str, **context: object) -> dict[str, object]:
    return {name: build(**context) for name, build in _PARTS[page].items()}
