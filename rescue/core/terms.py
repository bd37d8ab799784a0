"""Domain terms as enumerations with their labels attached. A member's value is what the database stores
and forms post; its label is what a reader reads, translated in the reader's language when it is read.
Check constraints and form choices are derived from the enumeration, so a term is written once.

Pure at import (the label is marked for the catalogs with N_ and translated only when read)."""
from __future__ import annotations

from enum import StrEnum


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools look for)
    return message


class Term(StrEnum):
    _label_: str

    def __new__(cls, value: str, label: str = "") -> Term:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label_ = label or value
        return member

    @property
    def label(self) -> str:
        from flask_babel import gettext

        return str(gettext(self._label_))

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a form's select, in the enumeration's order."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """The label of a stored value; a value this enumeration does not know reads as itself."""
        if value is None:
            return ""
        try:
            return cls(value).label
        except ValueError:
            return value

    @classmethod
    def sql_in(cls, column: str) -> str:
        """The check constraint that keeps a column to these values."""
        return f"{column} IN {cls.values()!r}"
