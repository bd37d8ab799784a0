"""A form sent from a stale copy of a record: never a silent overwrite. The page comes back with what the
person typed still in the form and, beside it, each field where that differs from what is saved now."""
from __future__ import annotations

from collections.abc import Mapping


def shown(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if value is True:
        return "\u2713"
    return "" if value in (None, False) else str(value)


def _readable(field, value: object) -> str:
    """A select's value as the person reads it (its label), anything else as typed."""
    choices = getattr(field, "choices", None)
    if choices and not isinstance(value, (list, tuple)):
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(shown(value), shown(value))
    return shown(value)


def differences(form, yours: Mapping[str, object], saved: Mapping[str, object]) -> list[tuple[str, str, str]]:
    """(label, what you typed, what is saved now) for each field where the two differ."""
    rows = []
    for name, value in yours.items():
        current = saved.get(name)
        if name == "birth_month":
            value, current = (str(value) if value else ""), (str(current) if current else "")
        if shown(value).strip() != shown(current).strip():
            field = form[name]
            rows.append((str(field.label.text), _readable(field, value), _readable(field, current)))
    return rows
