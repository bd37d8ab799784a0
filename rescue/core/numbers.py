"""Numbers typed by anyone (ids in addresses, filters and cursors in query strings, ids in posted
forms) stay within what the database holds. A number out of that range, or not a plain number at all,
is treated as absent (or, in an address, as a page that does not exist): never a database error."""
from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter

# Ids and counts live in INTEGER columns: 32 bits on PostgreSQL, which refuses a wider number even in
# a comparison (SQLite's are wider, but the schema is the same on both).
INTEGER_RANGE = range(-(2**31), 2**31)
MAX_ID = INTEGER_RANGE[-1]

_PLAIN = re.compile(r"[0-9]{1,25}")


def positive_int(value, maximum: int = MAX_ID) -> int | None:
    """A whole number from 1 to `maximum`, written in ASCII digits only (no sign, space, underscore or
    other script's digits); anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _PLAIN.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= maximum else None


def arg(args, name: str, maximum: int = MAX_ID) -> int | None:
    """A positive id or count from a query string or a form (`request.args`, `request.form`)."""
    return positive_int(args.get(name), maximum)


def arg_list(args, name: str) -> list[int]:
    """Every positive id given under `name`, the others left out."""
    return [number for number in (positive_int(v) for v in args.getlist(name)) if number is not None]


def _at_most(limit: int) -> str:
    """A regular expression for the whole numbers from 1 to `limit`, without leading zeros."""
    digits = str(limit)
    shorter = f"[1-9][0-9]{{0,{len(digits) - 2}}}" if len(digits) > 1 else ""
    same_length = []
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - position - 1
            same_length.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    same_length.append(digits)
    return "(?:" + "|".join(filter(None, [shorter, *same_length])) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: from 1 to MAX_ID in ASCII digits, else the address matches no route
    (404; the range is in the pattern, so a page with other methods at the same address does not answer
    405 either)."""

    regex = _at_most(MAX_ID)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


def register(app) -> None:
    """Replace Werkzeug's `int` converter before any route is added."""
    app.url_map.converters["int"] = IdConverter
